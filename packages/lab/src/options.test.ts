import { describe, expect, it } from 'vitest';
import { parseBytes, parseDelayMs, parseFaultKind, parseFill, parseIntegerIn, parseNonNegative, parseQuotaBytes } from './options.ts';

describe('option parsers', () => {
  it.each([
    ['3', 3],
    [9, 9],
    [' 1 ', 1],
  ])('parseIntegerIn accepts %j', (input, value) => expect(parseIntegerIn(input, 1, 9)).toEqual({ ok: true, value }));

  it.each([
    ['abc', /"abc" is not a whole number/],
    ['3x', /not a whole number/],
    ['1e1', /not a whole number/],
    ['2.5', /not a whole number/],
    ['0', /0 is out of range \(expected 1 to 9\)/],
    ['10', /out of range/],
  ])('parseIntegerIn rejects %j', (input, message) => {
    const r = parseIntegerIn(input, 1, 9);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('parses delays with units, bare numbers as milliseconds', () => {
    expect(parseDelayMs('40ms')).toEqual({ ok: true, value: 40 });
    expect(parseDelayMs('0.5s')).toEqual({ ok: true, value: 500 });
    expect(parseDelayMs('800us')).toEqual({ ok: true, value: 0.8 });
    expect(parseDelayMs(25)).toEqual({ ok: true, value: 25 });
    expect(parseDelayMs('40x')).toMatchObject({ ok: false, message: expect.stringContaining('"40x" is not a delay') });
    expect(parseDelayMs('0ms')).toMatchObject({ ok: false, message: expect.stringContaining('more than 0') });
    expect(parseDelayMs('11s')).toMatchObject({ ok: false, message: expect.stringContaining('more than 10s') });
  });

  it('parses sizes with binary suffixes and bounds the quota', () => {
    expect(parseBytes('64MiB')).toEqual({ ok: true, value: 64 * 1024 * 1024 });
    expect(parseBytes('2g')).toEqual({ ok: true, value: 2 * 1024 ** 3 });
    expect(parseBytes('104857600')).toEqual({ ok: true, value: 104857600 });
    expect(parseBytes('12x').ok).toBe(false);
    expect(parseQuotaBytes('512k')).toMatchObject({ ok: false, message: expect.stringContaining('out of range') });
    expect(parseQuotaBytes('9GiB').ok).toBe(false);
    expect(parseQuotaBytes('64MiB')).toEqual({ ok: true, value: 64 * 1024 * 1024 });
  });

  it('accepts a fill in (0, 1]', () => {
    expect(parseFill('0.9')).toEqual({ ok: true, value: 0.9 });
    expect(parseFill(1)).toEqual({ ok: true, value: 1 });
    expect(parseFill('.5')).toEqual({ ok: true, value: 0.5 });
    for (const bad of ['0', '1.2', 'full', '-0.5']) expect(parseFill(bad).ok, bad).toBe(false);
  });

  it('parses load rates and fault kinds', () => {
    expect(parseNonNegative('0')).toEqual({ ok: true, value: 0 });
    expect(parseNonNegative('12.5')).toEqual({ ok: true, value: 12.5 });
    expect(parseNonNegative('-1').ok).toBe(false);
    expect(parseNonNegative('200001', 100000).ok).toBe(false);
    expect(parseFaultKind('slow-disk')).toEqual({ ok: true, value: 'slow-disk' });
    expect(parseFaultKind('disk')).toMatchObject({ ok: false, message: expect.stringMatching(/unknown fault kind "disk" \(one of: slow-disk, leader-churn/) });
  });
});
