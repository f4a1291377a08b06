import { qualified, tableTail } from '../ddl.ts';
import type { Migration } from './migration.ts';

/** One row per report: the headline figures as columns, the whole Report as JSON. */
export const migration: Migration = {
  version: 4,
  name: 'reports',
  statements: (ctx) => [
    `CREATE TABLE IF NOT EXISTS ${qualified(ctx, 'reports')} (
  id String,
  cluster LowCardinality(String),
  generated_at DateTime64(3, 'UTC'),
  window_start DateTime64(3, 'UTC'),
  window_end DateTime64(3, 'UTC'),
  status LowCardinality(String),
  score Nullable(Float64),
  grade LowCardinality(String),
  headline String,
  findings UInt16 COMMENT 'number of symptom findings',
  risks UInt16,
  report String COMMENT 'the Report as JSON' CODEC(ZSTD(3)),
  INDEX id_idx id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(generated_at)
ORDER BY (cluster, generated_at, id)
${tableTail(ctx, 'reports')}`,
  ],
};
