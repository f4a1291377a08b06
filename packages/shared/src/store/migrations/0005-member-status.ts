import { qualified, tableTail } from '../ddl.ts';
import type { Migration } from './migration.ts';

/**
 * One row per member per batch: presence from the batch's members, and etcd's own status
 * (leader, db size, raft indexes, health) when the batch carried it (`has_status`).
 */
export const migration: Migration = {
  version: 5,
  name: 'member_status',
  statements: (ctx) => [
    `CREATE TABLE IF NOT EXISTS ${qualified(ctx, 'member_status')} (
  ts DateTime64(3, 'UTC') COMMENT 'end of the batch window',
  cluster LowCardinality(String),
  member LowCardinality(String),
  member_id String COMMENT 'hex, as etcdctl prints it; empty when unknown',
  node LowCardinality(String),
  present Bool COMMENT 'produced data at the end of the window (status only: its endpoint answered)',
  up_ratio Nullable(Float64),
  has_status Bool COMMENT 'the batch carried etcd status: the columns below are filled',
  healthy Nullable(Bool),
  leader Bool,
  learner Bool,
  endpoint String,
  version LowCardinality(String),
  db_size Nullable(Int64),
  db_size_in_use Nullable(Int64),
  db_size_quota Nullable(Int64),
  raft_term Nullable(UInt64),
  raft_index Nullable(UInt64),
  raft_applied_index Nullable(UInt64),
  health_latency_ms Nullable(Float64),
  alarms Array(LowCardinality(String)),
  errors Array(String),
  batch_id String
)
ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (cluster, member, ts)
${tableTail(ctx, 'member_status')}`,
  ],
};
