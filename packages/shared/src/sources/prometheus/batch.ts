import type { CatalogMetric } from '../../catalog/index.ts';

/** The label that tells which catalog metric a series of a batched query belongs to. */
export const BATCH_LABEL = 'etcd_analyzer_metric';

/**
 * Several catalog metrics in one PromQL query: each result is tagged with its metric id by
 * label_replace, and `or` unions them (their label sets differ by that tag, so none is dropped).
 * This is what keeps a full collection to a handful of HTTP requests.
 */
export function batchQuery(items: ReadonlyArray<{ metric: CatalogMetric; promql: string }>): string {
  return items.map(({ metric, promql }) => `label_replace(${promql}, "${BATCH_LABEL}", "${metric.id}", "", "")`).join(' or ');
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
