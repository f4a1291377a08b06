/**
 * @module store
 * ClickHouse storage (I/O): a client over a server URL or embedded chDB, versioned migrations,
 * idempotent writers and parameterised queries. Grafana reads the same tables directly.
 */
export { createStore, type Store } from './store.ts';
export { StoreError, isStoreError } from './store-error.ts';
export type { MigrateResult } from './migrate.ts';
export type { WriteBatchResult } from './writers.ts';
export type { SeriesResult } from './queries/series.ts';
export type { FindingsPage } from './queries/findings.ts';
export type { ReportSummary, ReportsPage } from './queries/reports.ts';
export type { ClusterInfo, MemberStatus, StoredSample } from './queries/status.ts';
export { SeriesQuerySchema, FindingsQuerySchema, ReportsQuerySchema, BatchSamplesQuerySchema, type SeriesQuery, type FindingsQuery, type ReportsQuery, type BatchSamplesQuery } from './query-options.ts';
export { planSeries, type Resolution, type SeriesPlan } from './resolution.ts';
export { TABLES, type TableName, DEDUP_WINDOW } from './ddl.ts';
export { MIGRATIONS, type Migration } from './migrations/index.ts';
export { sampleRows, type SampleRow } from './transform.ts';
