/** Milliseconds per Go duration unit (time.Duration.String() uses these, µ in either spelling). */
const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const GO_DURATION = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * What a bare integer duration means in a log. etcd's own zap config writes Go duration strings;
 * loggers built on zap's defaults write zapcore.SecondsDurationEncoder floats, and
 * NanosDurationEncoder integers. A float can only be seconds; an integer is nanoseconds unless
 * the same log has already shown seconds.
 */
export type IntegerDurationUnit = 'ns' | 's';

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * Parses a duration as etcd logs it into milliseconds: a Go duration string ("123.4ms", "1.2s",
 * "1m2.5s", "75.812µs", "0s"), float seconds, or integer nanoseconds (or seconds, when
 * `integers` says so). Anything else is undefined. Microsecond precision is all a log justifies.
 */
export function parseDuration(input: unknown, integers: IntegerDurationUnit = 'ns'): number | undefined {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    const seconds = !Number.isInteger(input) || integers === 's';
    return round(seconds ? input * 1000 : input / 1e6);
  }
  if (typeof input !== 'string') return undefined;
  const s = input.trim();
  if (s === '0') return 0;
  if (!GO_DURATION.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(PART)) total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? NaN);
  if (!Number.isFinite(total)) return undefined;
  return round(s.startsWith('-') ? -total : total);
}

/** Go duration strings and zap's numeric encodings with the default reading of integers (nanoseconds). */
export function parseGoDuration(input: unknown): number | undefined {
  return parseDuration(input);
}

/** Whether a value is a duration written as float seconds (what tells a log's integer unit). */
export const isFloatSeconds = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v);
