import { describe, expect, it } from 'vitest';
import { parseTime, resolveWindow } from './window.ts';

const NOW = Date.parse('2026-05-01T12:00:00Z') / 1000;

describe('--start and --end', () => {
  it('reads RFC 3339 times with a zone, "now" and relative times', () => {
    expect(parseTime('start', '2026-05-01T10:00:00Z', NOW)).toBe(NOW - 7200);
    expect(parseTime('start', '2026-05-01T12:00:00+02:00', NOW)).toBe(NOW - 7200);
    expect(parseTime('end', 'now', NOW)).toBe(NOW);
    expect(parseTime('start', '-90m', NOW)).toBe(NOW - 5400);
  });

  it('refuses times without a zone, and nonsense, naming the flag', () => {
    expect(() => parseTime('start', '2026-05-01T10:00:00', NOW)).toThrow(/--start: "2026-05-01T10:00:00" is not a time: use RFC 3339 with a zone/);
    expect(() => parseTime('end', 'yesterday', NOW)).toThrow(/--end/);
    expect(() => parseTime('start', '-soon', NOW)).toThrow(/--start: "-soon" is not a relative time/);
  });

  it('takes the window between both ends, or the duration from one end', () => {
    expect(resolveWindow({ duration: '15m', start: '-2h', end: '-1h' }, NOW, 900)).toEqual({ durationSeconds: 3600, end: NOW - 3600 });
    expect(resolveWindow({ duration: '15m', start: '-2h' }, NOW, 900)).toEqual({ durationSeconds: 900, end: NOW - 7200 + 900 });
    expect(resolveWindow({ duration: '15m', end: '-1h' }, NOW, 900)).toEqual({ durationSeconds: 900, end: NOW - 3600 });
    expect(resolveWindow({ duration: '15m' }, NOW, 900)).toEqual({ durationSeconds: 900 });
    // A start closer than the duration: the window runs to now.
    expect(resolveWindow({ duration: '15m', start: '-5m' }, NOW, 900)).toEqual({ durationSeconds: 300 });
  });

  it('refuses a window that ends before it starts, or in the future', () => {
    expect(() => resolveWindow({ duration: '15m', start: '-1h', end: '-2h' }, NOW, 900)).toThrow(/--start .* must be before --end/);
    expect(() => resolveWindow({ duration: '15m', end: '2027-01-01T00:00:00Z' }, NOW, 900)).toThrow(/--end: .* is in the future/);
  });
});
