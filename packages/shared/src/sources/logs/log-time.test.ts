import { describe, expect, it } from 'vitest';
import { anyTime, isoTime, onDateOf } from './log-time.ts';

describe('log times', () => {
  it.each([
    ['2024-05-01T10:00:00.123456Z', Date.UTC(2024, 4, 1, 10, 0, 0, 123), true],
    ['2024-05-01T10:00:00Z', Date.UTC(2024, 4, 1, 10, 0, 0), true],
    ['2024-05-01T10:00:00.1Z', Date.UTC(2024, 4, 1, 10, 0, 0, 100), true],
    ['2024-06-10T08:00:00.101220+0800', Date.UTC(2024, 5, 10, 0, 0, 0, 101), true],
    ['2024-06-10T08:00:00+08:00', Date.UTC(2024, 5, 10, 0, 0, 0), true],
    ['2024-06-10T08:00:00.5-05', Date.UTC(2024, 5, 10, 13, 0, 0, 500), true],
    // No zone: read as UTC, not in this machine's zone, and flagged inexact.
    ['2024-05-01 10:00:00.123', Date.UTC(2024, 4, 1, 10, 0, 0, 123), false],
    ['2024-05-01T10:00:00,5', Date.UTC(2024, 4, 1, 10, 0, 0, 500), false],
  ])('%s', (text, ts, exact) => {
    expect(isoTime(text)).toEqual({ ts, exact });
  });

  it('rejects what is not a time, including out-of-range fields the fast path must not roll over', () => {
    for (const bad of ['2024-13-01T10:00:00Z', 'abcd-05-01T10:00:00Z', '2024-05-01T25:00:00Z', '2024-05-01T10:00:00.12x4Z', 'yesterday']) expect(isoTime(bad)).toBeUndefined();
  });

  it('reads epoch numbers in seconds, milliseconds, microseconds or nanoseconds, and times of day', () => {
    const t = Date.UTC(2024, 5, 4, 8, 0, 0, 500);
    for (const v of [t / 1000, t, t * 1000, t * 1e6, String(t / 1000)]) expect(anyTime(v)).toEqual({ ts: t, exact: true });
    expect(anyTime('23:59:59.512')).toEqual({ exact: false, timeOfDayMs: 86_399_512 });
    expect(anyTime('25:00:00')).toBeUndefined();
  });

  it('puts a time of day on the last dated line\'s day, or the next day past midnight', () => {
    const last = Date.UTC(2024, 5, 4, 23, 59, 0);
    expect(onDateOf(last, 86_399_000)).toBe(Date.UTC(2024, 5, 4, 23, 59, 59));
    expect(onDateOf(last, 3_000)).toBe(Date.UTC(2024, 5, 5, 0, 0, 3));
  });
});
