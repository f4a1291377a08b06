/**
 * Timestamps as etcd's loggers and their wrappers write them. A time without a zone (capnslog, the
 * raft and Go loggers, zap configured without one) is read as UTC and flagged inexact, so an
 * envelope's exact time can win; reading it in this machine's zone would make results depend on
 * where the analysis runs.
 */
export interface LogTime {
  /** Epoch milliseconds; absent for a time of day without a date. */
  readonly ts?: number;
  /** Whether the stamp carried a zone (or is epoch-based). */
  readonly exact: boolean;
  /** Milliseconds since midnight, for a stamp that has a time but no date. */
  readonly timeOfDayMs?: number;
}

const ISO = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?)(Z|[+-]\d\d(?::?\d\d)?)?$/;
const TIME_ONLY = /^(\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z)?$/;
const EPOCH_STRING = /^\d{9,10}(?:\.\d+)?$/;

function zoneSuffix(z: string): string {
  if (z === 'Z') return 'Z';
  if (/^[+-]\d\d$/.test(z)) return `${z}:00`;
  return z.length === 5 ? `${z.slice(0, 3)}:${z.slice(3)}` : z;
}

/** Parses an ISO-8601-like stamp, with or without zone. */
export function isoTime(v: string): LogTime | undefined {
  const m = ISO.exec(v);
  if (!m) return undefined;
  const time = (m[2] as string).replace(',', '.');
  const zone = m[3];
  const t = Date.parse(`${m[1]}T${time}${zone ? zoneSuffix(zone) : 'Z'}`);
  return Number.isNaN(t) ? undefined : { ts: t, exact: zone !== undefined };
}

/** Any time a zap-like encoder writes: ISO-8601, epoch seconds or milliseconds (number or string), or a time of day. */
export function anyTime(v: unknown): LogTime | undefined {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= 0) return undefined;
    // zap's EpochTimeEncoder writes seconds, EpochMillisTimeEncoder milliseconds, EpochNanosTimeEncoder nanoseconds.
    const ms = v > 1e17 ? v / 1e6 : v > 1e14 ? v / 1e3 : v > 1e11 ? v : v * 1000;
    return { ts: ms, exact: true };
  }
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const iso = isoTime(s);
  if (iso) return iso;
  if (EPOCH_STRING.test(s)) return { ts: Number(s) * 1000, exact: true };
  const m = TIME_ONLY.exec(s);
  if (!m) return undefined;
  const ms = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + (m[4] ? Math.round(Number(`0.${m[4]}`) * 1000) : 0);
  return ms < 86_400_000 ? { exact: false, timeOfDayMs: ms } : undefined;
}

const DAY = 86_400_000;

/**
 * Puts a time of day on the date of the stream's last dated line; a time more than 12 hours
 * before that line's is taken as the next day (the log crossed midnight).
 */
export function onDateOf(lastTs: number, timeOfDayMs: number): number {
  const midnight = Math.floor(lastTs / DAY) * DAY;
  const t = midnight + timeOfDayMs;
  return t < lastTs - DAY / 2 ? t + DAY : t;
}
