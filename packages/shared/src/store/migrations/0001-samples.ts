import { qualified, tableTail } from '../ddl.ts';
import type { Migration } from './migration.ts';

/**
 * Raw samples, one row per point of a batch's series. `member` is the series' entity (a member,
 * or a node for node-scoped series, or "cluster"); `peer` is the remote member of a per-peer
 * series (label `To`, a hex member id), '' otherwise. A column rather than a labels Map: `To` is
 * the only label the metric catalog keeps (a unit test holds it to that), Grafana's query builder
 * filters and groups a plain LowCardinality column directly, and it compresses to almost nothing.
 * The key is exactly DESIGN.md's; peers of one member interleave in time order, which the
 * per-series queries (cluster, metric, member, time range) do not mind. The bloom filter on
 * batch_id serves "the samples of one batch".
 */
export const migration: Migration = {
  version: 1,
  name: 'samples',
  statements: (ctx) => [
    `CREATE TABLE IF NOT EXISTS ${qualified(ctx, 'samples')} (
  ts DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
  cluster LowCardinality(String),
  metric LowCardinality(String) COMMENT 'metric catalog id',
  member LowCardinality(String) COMMENT 'the series entity: a member, a node (scope node) or cluster',
  peer LowCardinality(String) COMMENT 'remote member id in hex for per-peer series (label To), empty otherwise',
  scope LowCardinality(String) COMMENT 'member, node or cluster',
  unit LowCardinality(String),
  value Float64 CODEC(Gorilla, ZSTD(1)),
  batch_id String CODEC(ZSTD(1)),
  INDEX batch_id_idx batch_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toDate(ts)
ORDER BY (cluster, metric, member, ts)
${tableTail(ctx, 'samples')}`,
  ],
};
