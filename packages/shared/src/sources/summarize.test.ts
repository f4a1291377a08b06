import { describe, expect, it } from 'vitest';
import { summarize } from './summarize.ts';

describe('summarize', () => {
  it('computes hand-checked window statistics', () => {
    // values 1..100 at t=1..100: avg 50.5, p50 50.5, p99 = 99 + 0.01*(100-99) = 99.01
    const s = summarize(Array.from({ length: 100 }, (_, i) => [i + 1, i + 1] as [number, number]));
    expect(s).toMatchObject({ count: 100, min: 1, max: 100, avg: 50.5, p50: 50.5, last: 100, lastAt: 100 });
    expect(s!.p99).toBeCloseTo(99.01, 10);
  });
  it('keeps "last" as the latest sample, not the largest', () => {
    expect(summarize([[1, 5], [2, 9], [3, 2]])).toMatchObject({ last: 2, max: 9, min: 2, p50: 5 });
  });
  it('has no summary for an empty series', () => expect(summarize([])).toBeNull());
});
