export { createPrometheusClient, PrometheusError, QUERY_LIMITS, type PrometheusClient, type PrometheusClientOptions, type PromErrorKind, type PromResult, type QueryOptions } from './client.ts';
export { collectPrometheus, COLLECTION_POINT_LIMIT, type PrometheusCollectOptions, type PrometheusCollectResult } from './collect-prometheus.ts';
export { batchQuery, BATCH_LABEL } from './batch.ts';
export type { PromSeries } from './answer.ts';
