import { describe, expect, it } from 'vitest';
import { parseDuration, parseGoDuration } from './duration.ts';

describe('parseGoDuration', () => {
  it('reads Go duration strings as etcd logs them', () => {
    expect(parseGoDuration('123.456789ms')).toBe(123.457);
    expect(parseGoDuration('1.2s')).toBe(1200);
    expect(parseGoDuration('1m2.5s')).toBe(62500);
    expect(parseGoDuration('1h0m0s')).toBe(3_600_000);
    expect(parseGoDuration('75.812µs')).toBe(0.076);
    expect(parseGoDuration('75.812μs')).toBe(0.076); // Greek mu, as some encoders write it
    expect(parseGoDuration('500ns')).toBe(0.001);
    expect(parseGoDuration('0s')).toBe(0);
    expect(parseGoDuration('0')).toBe(0);
  });

  it('takes an integer as nanoseconds (zapcore.NanosDurationEncoder) and a float as seconds (SecondsDurationEncoder)', () => {
    expect(parseGoDuration(1_500_000)).toBe(1.5);
    expect(parseGoDuration(1.263337456)).toBe(1263.337);
    expect(parseGoDuration(0.000512104)).toBe(0.512);
  });

  it('reads integers as seconds in a log that writes seconds (a whole second prints as "1")', () => {
    expect(parseDuration(1, 's')).toBe(1000);
    expect(parseDuration(7, 's')).toBe(7000);
    expect(parseDuration(1, 'ns')).toBe(0);
  });

  it('rejects what is not a duration', () => {
    for (const bad of ['', 'fast', '12', '1.2.3s', 's', '10 ms', null, undefined, {}, Number.NaN, Number.POSITIVE_INFINITY]) expect(parseGoDuration(bad)).toBeUndefined();
  });
});
