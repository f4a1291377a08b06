import { describe, expect, it } from 'vitest';
import { planSeries, RESOLUTION_MS } from './resolution.ts';

const now = Date.UTC(2026, 4, 1, 12, 0, 0);
const H = 3_600_000;

describe('planSeries', () => {
  it('reads raw samples for short ranges, the 1-minute rollup for days, the hourly one for months', () => {
    expect(planSeries({ fromMs: now - H, toMs: now, maxPoints: 500, nowMs: now, ttlDays: 30 }).resolution).toBe('raw');
    expect(planSeries({ fromMs: now - 24 * H, toMs: now, maxPoints: 500, nowMs: now, ttlDays: 30 }).resolution).toBe('1m');
    expect(planSeries({ fromMs: now - 29 * 24 * H, toMs: now, maxPoints: 500, nowMs: now, ttlDays: 30 }).resolution).toBe('1h');
  });

  it('reads the hourly rollup once the range starts before the raw retention', () => {
    expect(planSeries({ fromMs: now - 31 * 24 * H, toMs: now - 30.9 * 24 * H, maxPoints: 500, nowMs: now, ttlDays: 30 }).resolution).toBe('1h');
  });

  it('never yields more than maxPoints buckets, on the source grid', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const toMs = now - Math.floor(rnd() * 10 * 24 * H);
      const fromMs = toMs - 1 - Math.floor(rnd() ** 3 * 40 * 24 * H);
      const maxPoints = 2 + Math.floor(rnd() * 2000);
      const p = planSeries({ fromMs, toMs, maxPoints, nowMs: now, ttlDays: 30 });
      const res = RESOLUTION_MS[p.resolution];
      expect(p.originMs % res).toBe(0);
      expect(p.stepMs % res).toBe(0);
      expect(p.originMs).toBeLessThanOrEqual(fromMs);
      expect(Math.floor((toMs - p.originMs) / p.stepMs) + 1).toBeLessThanOrEqual(maxPoints);
    }
  });
});
