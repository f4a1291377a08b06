import { parseDuration } from '@etcd-analyzer/shared/catalog';
import { ConfigError } from '@etcd-analyzer/shared/errors';

/** Times a user may write: RFC 3339 in UTC (or with an offset), "now", or relative like "-2h". */
const RFC3339 = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i;

/** Unix seconds for a --start/--end value; `now` is the reference for relative values. */
export function parseTime(flag: string, value: string, now: number): number {
  const v = value.trim();
  if (v === 'now') return now;
  if (v.startsWith('-')) {
    try {
      return now - parseDuration(v.slice(1));
    } catch {
      throw new ConfigError(`--${flag}: "${value}" is not a relative time (use e.g. -2h, -90m)`);
    }
  }
  if (!RFC3339.test(v)) throw new ConfigError(`--${flag}: "${value}" is not a time: use RFC 3339 with a zone (2026-05-01T10:00:00Z), "now", or relative like -2h`);
  const t = Date.parse(v.replace(' ', 'T'));
  if (Number.isNaN(t)) throw new ConfigError(`--${flag}: "${value}" is not a valid date`);
  return Math.floor(t / 1000);
}

export interface WindowFlags {
  readonly duration: string;
  readonly start?: string;
  readonly end?: string;
}

/**
 * The analysis window from --duration, --start and --end: both ends given, the duration is what
 * lies between them; one end given, the duration runs from it; none, the window ends now.
 */
export function resolveWindow(f: WindowFlags, now: number, durationSeconds: number): { durationSeconds: number; end?: number } {
  const start = f.start === undefined ? undefined : parseTime('start', f.start, now);
  const end = f.end === undefined ? undefined : parseTime('end', f.end, now);
  if (end !== undefined && end > now + 60) throw new ConfigError(`--end: ${new Date(end * 1000).toISOString()} is in the future`);
  if (start !== undefined && end !== undefined) {
    if (start >= end) throw new ConfigError(`--start (${new Date(start * 1000).toISOString()}) must be before --end (${new Date(end * 1000).toISOString()})`);
    return { durationSeconds: end - start, end };
  }
  if (start !== undefined) {
    if (start >= now) throw new ConfigError(`--start: ${new Date(start * 1000).toISOString()} is not in the past`);
    const stop = Math.min(now, start + durationSeconds);
    return { durationSeconds: stop - start, ...(stop < now ? { end: stop } : {}) };
  }
  return { durationSeconds, ...(end !== undefined ? { end } : {}) };
}
