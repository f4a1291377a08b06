/**
 * Which table a series query reads and how it buckets: at most `maxPoints` buckets over
 * [from, to], read from raw samples while a bucket is shorter than a minute, from the 1-minute
 * rollup while it is shorter than an hour, else from the 1-hour rollup (also whenever `from` is
 * older than the raw/1-minute retention). Buckets start on the source's grid so a rollup row is
 * never split between two buckets.
 */
export type Resolution = 'raw' | '1m' | '1h';

export const RESOLUTION_MS: Readonly<Record<Resolution, number>> = { raw: 1, '1m': 60_000, '1h': 3_600_000 };

export interface SeriesPlan {
  readonly resolution: Resolution;
  /** Start of bucket 0 (unix ms): `from` rounded down to the source's grid. */
  readonly originMs: number;
  /** Bucket width (ms), a multiple of the source's resolution. */
  readonly stepMs: number;
}

export function planSeries(q: { fromMs: number; toMs: number; maxPoints: number; nowMs: number; ttlDays: number }): SeriesPlan {
  const wanted = Math.floor((q.toMs - q.fromMs) / q.maxPoints) + 1;
  let resolution: Resolution = wanted >= RESOLUTION_MS['1h'] ? '1h' : wanted >= RESOLUTION_MS['1m'] ? '1m' : 'raw';
  if (resolution !== '1h' && q.fromMs < q.nowMs - q.ttlDays * 86_400_000) resolution = '1h';
  const res = RESOLUTION_MS[resolution];
  const originMs = Math.floor(q.fromMs / res) * res;
  // floor((to - origin) / step) < maxPoints: bucket indexes run 0..maxPoints-1 at most.
  const stepMs = Math.ceil((Math.floor((q.toMs - originMs) / q.maxPoints) + 1) / res) * res;
  return { resolution, originMs, stepMs };
}
