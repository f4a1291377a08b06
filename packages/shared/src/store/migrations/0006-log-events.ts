import { qualified, tableTail } from '../ddl.ts';
import type { Migration } from './migration.ts';

/**
 * etcd log events: `log_events` holds the bounded sample each batch keeps, `log_counts` the exact
 * per-(member, kind) counts of each batch window (windows do not overlap, so counts add up).
 */
export const migration: Migration = {
  version: 6,
  name: 'log_events',
  statements: (ctx) => [
    `CREATE TABLE IF NOT EXISTS ${qualified(ctx, 'log_events')} (
  ts DateTime64(3, 'UTC'),
  cluster LowCardinality(String),
  member LowCardinality(String),
  kind LowCardinality(String),
  level LowCardinality(String),
  peer String,
  duration_ms Nullable(Float64),
  expected_ms Nullable(Float64),
  message String,
  detail String COMMENT 'JSON object',
  raw String CODEC(ZSTD(3)),
  batch_id String
)
ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (cluster, kind, member, ts)
${tableTail(ctx, 'log_events')}`,
    `CREATE TABLE IF NOT EXISTS ${qualified(ctx, 'log_counts')} (
  window_start DateTime64(3, 'UTC'),
  window_end DateTime64(3, 'UTC'),
  cluster LowCardinality(String),
  member LowCardinality(String),
  kind LowCardinality(String),
  count UInt64,
  first_ts DateTime64(3, 'UTC'),
  last_ts DateTime64(3, 'UTC'),
  max_duration_ms Nullable(Float64),
  batch_id String
)
ENGINE = MergeTree
PARTITION BY toDate(window_end)
ORDER BY (cluster, kind, member, window_end)
${tableTail(ctx, 'log_counts')}`,
  ],
};
