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
 * Parses a Go duration as etcd logs it ("123.4ms", "1.2s", "1m2.5s", "75.812µs", "0s") into
 * milliseconds. A bare number is taken as nanoseconds, which is how zap encodes a Duration
 * with the default (non-string) encoder. Anything else is undefined.
 */
export function parseGoDuration(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? input / 1e6 : undefined;
  if (typeof input !== 'string') return undefined;
  const s = input.trim();
  if (s === '0') return 0;
  if (!GO_DURATION.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(PART)) total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? NaN);
  if (!Number.isFinite(total)) return undefined;
  const ms = s.startsWith('-') ? -total : total;
  // Microsecond precision is all a log line can justify.
  return Math.round(ms * 1000) / 1000;
}
