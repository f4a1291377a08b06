/**
 * What the browser needs besides the report itself to draw the charts: the display scale of each
 * chart, one colour per member (the same in every chart), and the window the x axes share.
 */
import type { Report } from '../schema/index.ts';
import { chartScale } from './format.ts';

/** Okabe–Ito, minus its vermillion and yellow: red is kept for thresholds, yellow is unreadable. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#6A3D9A', '#8C564B', '#1B1B1B'] as const;

/** A threshold further than this above the data would squash the lines flat: it is named, not drawn. */
const MAX_THRESHOLD_HEADROOM = 4;

export interface ChartView {
  readonly colors: Readonly<Record<string, string>>;
  /** Unix seconds; null when the report's window cannot be parsed. */
  readonly window: readonly [number | null, number | null];
  readonly charts: ReadonlyArray<{ readonly factor: number; readonly suffix: string; readonly thresholdOnScale: boolean }>;
}

export function memberColors(report: Report): Record<string, string> {
  const names = [...report.members.map((m) => m.name)];
  const extra = new Set<string>();
  for (const c of report.charts) for (const s of c.series) if (!names.includes(s.member)) extra.add(s.member);
  names.push(...[...extra].sort());
  return Object.fromEntries(names.map((n, i) => [n, PALETTE[i % PALETTE.length] as string]));
}

export function buildChartView(report: Report): ChartView {
  const sec = (iso: string): number | null => {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? null : t / 1000;
  };
  return {
    colors: memberColors(report),
    window: [sec(report.window.start), sec(report.window.end)],
    charts: report.charts.map((c) => {
      const { factor, suffix } = chartScale(c);
      let max = -Infinity;
      for (const s of c.series) for (const p of s.points) if (Number.isFinite(p[1])) max = Math.max(max, p[1]);
      const thresholdOnScale = c.threshold !== null && Number.isFinite(max) && c.threshold <= Math.max(max, 0) * MAX_THRESHOLD_HEADROOM;
      return { factor, suffix, thresholdOnScale };
    }),
  };
}
