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

/** Positions of "YYYY-MM-DDTHH:MM:SS" that hold a separator, and which. */
const SEPARATORS: Readonly<Record<number, number>> = { 4: 0x2d, 7: 0x2d, 10: 0x54, 13: 0x3a, 16: 0x3a };
const digit = (v: string, i: number): number => v.charCodeAt(i) - 48;
const two = (v: string, i: number): number => digit(v, i) * 10 + digit(v, i + 1);

/**
 * etcd's own stamp, `2024-05-01T10:00:00.123456Z`, read by position: this runs for every line of
 * a zap log, and Date.parse with the general regex costs several times more. Anything else falls
 * through to the general path.
 */
function utcIso(v: string): number | undefined {
  const n = v.length;
  if (n < 20 || v.charCodeAt(n - 1) !== 0x5a || v.charCodeAt(10) !== 0x54) return undefined;
  for (let i = 0; i < 19; i++) {
    const c = v.charCodeAt(i);
    const sep = SEPARATORS[i];
    if (sep !== undefined ? c !== sep : c < 0x30 || c > 0x39) return undefined;
  }
  let ms = 0;
  if (n > 20) {
    if (v.charCodeAt(19) !== 0x2e) return undefined;
    // Milliseconds from the first three fraction digits; zap writes up to nine.
    for (let i = 20, scale = 100; i < n - 1; i++, scale /= 10) {
      const d = digit(v, i);
      if (d < 0 || d > 9) return undefined;
      if (scale >= 1) ms += d * scale;
    }
  }
  const y = two(v, 0) * 100 + two(v, 2);
  const t = Date.UTC(y, two(v, 5) - 1, two(v, 8), two(v, 11), two(v, 14), two(v, 17), ms);
  // Date.UTC rolls 2024-02-31 over into March: out-of-range fields are left to the general parser.
  return two(v, 5) < 1 || two(v, 5) > 12 || two(v, 8) < 1 || two(v, 8) > 31 || two(v, 11) > 23 || two(v, 14) > 59 || two(v, 17) > 59 ? undefined : t;
}

/** Parses an ISO-8601-like stamp, with or without zone. */
export function isoTime(v: string): LogTime | undefined {
  const fast = utcIso(v);
  if (fast !== undefined) return { ts: fast, exact: true };
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
