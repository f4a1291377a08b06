import { qualified, tableTail } from '../ddl.ts';
import type { Migration } from './migration.ts';

/**
 * One row per transition of a finding episode (pending, firing, resolved), stored once per
 * (id, state). `member`/`peer` are '' when the finding has none; evidence and root causes are
 * JSON; `top_cause` is the most confident cause, for dashboards that do not parse JSON.
 */
export const migration: Migration = {
  version: 3,
  name: 'findings',
  statements: (ctx) => [
    `CREATE TABLE IF NOT EXISTS ${qualified(ctx, 'findings')} (
  id String COMMENT 'episode id: stable across pending, firing and resolved',
  cluster LowCardinality(String),
  state LowCardinality(String) COMMENT 'pending, firing or resolved',
  since DateTime64(3, 'UTC') COMMENT 'when the condition started to hold',
  at DateTime64(3, 'UTC') COMMENT 'when this transition happened (data time)',
  finding_id String,
  rule LowCardinality(String),
  role LowCardinality(String),
  severity LowCardinality(String),
  category LowCardinality(String),
  subsystem LowCardinality(String),
  member LowCardinality(String),
  peer LowCardinality(String),
  summary String,
  evidence String COMMENT 'JSON array of Evidence',
  root_causes String COMMENT 'JSON array of RootCause',
  top_cause String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (cluster, at, id, state)
${tableTail(ctx, 'findings')}`,
  ],
};
