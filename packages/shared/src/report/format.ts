/**
 * Formatting shared by every renderer, so that the terminal, Markdown and HTML show a value the
 * same way. Unit formatting itself is the catalog's (rule summaries use it too); this adds the
 * report's null, boolean, threshold, time and escaping rules.
 */
import { formatValue } from '../catalog/format.ts';
import type { Chart, Report, Status } from '../schema/index.ts';

/** A KPI or evidence value in its unit; `null` is data that was not there, never a zero. */
export function formatMeasure(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (unit === 'boolean') return value >= 1 ? 'yes' : 'no';
  return formatValue(value, unit);
}

export function formatThreshold(value: number | null | undefined, unit: string): string {
  return value === null || value === undefined ? '-' : formatMeasure(value, unit);
}

/** A relative change against the baseline (0.35 -> "+35 %"). */
export function formatChange(change: number | null | undefined): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return '-';
  const pct = Math.round(change * 100);
  return `${pct > 0 ? '+' : ''}${pct} %`;
}

export function formatConfidence(confidence: number): string {
  return `${Math.round(confidence * 100)} %`;
}

export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${Math.round(score)}/100`;
}

const STATUS_LABEL: Readonly<Record<Status, string>> = { healthy: 'HEALTHY', warning: 'WARNING', critical: 'CRITICAL', unknown: 'UNKNOWN' };
/** Per-KPI wording: "OK" reads better than "HEALTHY" in a table cell. */
const KPI_LABEL: Readonly<Record<Status, string>> = { healthy: 'OK', warning: 'WARNING', critical: 'CRITICAL', unknown: 'NO DATA' };

export const statusLabel = (s: Status): string => STATUS_LABEL[s];
/** A risk's KPI reads RISK: beyond target, but not a symptom that sets the status. */
export const kpiStatusLabel = (s: Status, risk?: boolean): string => (risk && (s === 'warning' || s === 'critical') ? 'RISK' : KPI_LABEL[s]);

/** "2024-05-01 12:00:00" in UTC; an unparsable stamp is shown as given rather than hidden. */
export function formatUtc(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '').replace(/Z$/, '');
}

/** 930 -> "15m30s", 7200 -> "2h". */
export function formatSpan(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', r || (!h && !m) ? `${r}s` : ''];
  return parts.join('');
}

/** "2024-05-01 12:00:00 to 12:30:00 UTC (30m)"; the end date is repeated only when it differs. */
export function formatWindow(window: Report['window']): string {
  const a = Date.parse(window.start);
  const b = Date.parse(window.end);
  if (Number.isNaN(a) || Number.isNaN(b)) return `${window.start} to ${window.end}`;
  const start = formatUtc(window.start);
  const end = formatUtc(window.end);
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  return `${start} to ${sameDay ? end.slice(11) : end} UTC (${formatSpan((b - a) / 1000)})`;
}

export function memberLabel(member: string | null): string {
  return member ?? 'cluster';
}

/** How a chart's values are shown: seconds become ms below 1 s, bytes get a binary prefix. */
export interface ChartScale {
  readonly factor: number;
  readonly suffix: string;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Chosen from the data (a far-off threshold must not turn 400 MiB into 0.4 GiB); else the threshold. */
export function chartScale(chart: Chart): ChartScale {
  let max = -Infinity;
  for (const s of chart.series) for (const p of s.points) if (Number.isFinite(p[1])) max = Math.max(max, Math.abs(p[1]));
  if (max === -Infinity) max = chart.threshold === null ? 0 : Math.abs(chart.threshold);
  switch (chart.unit) {
    case 'seconds':
      return max < 1 ? { factor: 1000, suffix: 'ms' } : { factor: 1, suffix: 's' };
    case 'bytes':
    case 'bytesPerSecond': {
      let i = 0;
      while (max >= 1024 ** (i + 1) && i < BYTE_UNITS.length - 1) i++;
      return { factor: 1 / 1024 ** i, suffix: `${BYTE_UNITS[i]}${chart.unit === 'bytesPerSecond' ? '/s' : ''}` };
    }
    case 'percent':
      return { factor: 1, suffix: '%' };
    case 'ratio':
      return { factor: 100, suffix: '%' };
    case 'perSecond':
      return { factor: 1, suffix: '/s' };
    case 'count':
    case 'boolean':
    case '':
      return { factor: 1, suffix: '' };
    default:
      return { factor: 1, suffix: chart.unit };
  }
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element text and in quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * JSON that can sit inside a <script> element: `<` cannot open `</script>` or `<!--`, and the
 * line separators that older parsers reject are escaped too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Markdown inline text: backslash-escapes what GFM would turn into markup (emphasis, links,
 * raw HTML, table cell breaks), and folds newlines so a cell stays on one row.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Word-wraps to `width`; words longer than a line are kept whole rather than split. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Control characters from report strings (a log line, a member name) replaced, so that text
 * meant for a terminal cannot carry escape sequences of its own. Newlines are kept.
 */
export function stripControl<T>(value: T): T {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (typeof value === 'string') return value.replace(/\t/g, ' ').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '\ufffd') as T;
  if (Array.isArray(value)) return value.map((v: unknown) => stripControl(v)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripControl(v)])) as T;
  return value;
}
