import type { Summary } from '../schema/index.ts';

/**
 * Window statistics of one series. Percentiles use linear interpolation between closest ranks
 * (numpy's default), so p50 of [1, 2] is 1.5; NaN and infinite samples never get here (sources
 * drop them), and an empty series has no summary rather than zeros.
 */
export function summarize(points: ReadonlyArray<readonly [number, number]>): Summary | null {
  if (points.length === 0) return null;
  const values = points.map((p) => p[1]).sort((a, b) => a - b);
  const pct = (q: number): number => {
    const pos = (values.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return (values[lo] as number) + ((values[hi] as number) - (values[lo] as number)) * (pos - lo);
  };
  const last = points[points.length - 1] as readonly [number, number];
  return {
    count: values.length,
    min: values[0] as number,
    avg: values.reduce((a, v) => a + v, 0) / values.length,
    p50: pct(0.5),
    p99: pct(0.99),
    max: values[values.length - 1] as number,
    last: last[1],
    lastAt: last[0],
  };
}
