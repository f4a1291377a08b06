import { qualified, tableTail } from '../ddl.ts';
import type { Migration } from './migration.ts';

/**
 * Raw samples, one row per point of a batch's series. `member` is the series' entity (a member,
 * or a node for node-scoped series, or "cluster"); `peer` is the remote member of a per-peer
 * series (label `To`, a hex member id), '' otherwise. `To` gets a column because per-peer series
 * are queried by it: Grafana's query builder filters and groups a LowCardinality column directly,
 * and the rollups key on it. Any other label the catalog keeps (today only serverId's
 * `server_id`) goes to the `labels` Map, empty (nearly free) on every other row, so no label is
 * lost (a unit test checks the catalog against this). The key is exactly DESIGN.md's; peers of
 * one member interleave in time order, which per-series queries do not mind. The bloom filter on
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
  labels Map(LowCardinality(String), String) COMMENT 'labels other than To, e.g. server_id',
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
