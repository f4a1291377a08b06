/**
 * Prometheus' histogram_quantile on cumulative bucket counts ({le -> count}), so that the direct
 * source and PromQL give the same number. Returns undefined where PromQL gives NaN (no
 * observations, fewer than two buckets) rather than a misleading value.
 */
export function histogramQuantile(q: number, buckets: ReadonlyMap<number, number>): number | undefined {
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  if (sorted.length < 2 || sorted[sorted.length - 1]![0] !== Infinity) return undefined;
  // Counts must not decrease with le (they can, across scrapes taken mid-update): keep the max.
  for (let i = 1; i < sorted.length; i++) if (sorted[i]![1] < sorted[i - 1]![1]) sorted[i] = [sorted[i]![0], sorted[i - 1]![1]];
  const total = sorted[sorted.length - 1]![1];
  if (!(total > 0)) return undefined;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const rank = q * total;
  const i = sorted.findIndex(([, c]) => c >= rank);
  if (i === sorted.length - 1) return sorted[sorted.length - 2]![0];
  if (i === 0 && sorted[0]![0] <= 0) return sorted[0]![0];
  const end = sorted[i]![0];
  const start = i === 0 ? 0 : sorted[i - 1]![0];
  const below = i === 0 ? 0 : sorted[i - 1]![1];
  const inBucket = sorted[i]![1] - below;
  return start + (end - start) * ((rank - below) / inBucket);
}
