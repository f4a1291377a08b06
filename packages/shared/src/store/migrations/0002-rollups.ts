import { type DdlContext, qualified, tableTail } from '../ddl.ts';
import type { Migration } from './migration.ts';

/**
 * 1-minute and 1-hour rollups of samples, filled by materialized views at insert time, read with
 * the -Merge combinators (avgMerge(value_avg), maxMerge(value_max), argMaxMerge(value_last)...).
 * AggregatingMergeTree merges rows with equal keys, so `peer` is part of the key here (unlike
 * samples'); other labels (samples.labels) are aggregated over. The 1-hour table partitions by month: daily partitions of hourly rows would be tiny.
 * The views run inside the insert into samples: a deduplicated insert (same token) is
 * deduplicated in the rollups too, because each rollup table keeps its own dedup window.
 */
function rollup(ctx: DdlContext, table: 'samples_1m' | 'samples_1h', bucket: string, partition: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${qualified(ctx, table)} (
  ts DateTime('UTC') COMMENT 'bucket start',
  cluster LowCardinality(String),
  metric LowCardinality(String),
  member LowCardinality(String),
  peer LowCardinality(String),
  value_avg AggregateFunction(avg, Float64),
  value_min AggregateFunction(min, Float64),
  value_max AggregateFunction(max, Float64),
  value_last AggregateFunction(argMax, Float64, DateTime64(3, 'UTC')),
  samples AggregateFunction(count),
  last_ts AggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY ${partition}
ORDER BY (cluster, metric, member, peer, ts)
${tableTail(ctx, table)}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS \`${ctx.db}\`.\`${table}_mv\` TO ${qualified(ctx, table)} AS
SELECT ${bucket}(s.ts) AS ts, s.cluster AS cluster, s.metric AS metric, s.member AS member, s.peer AS peer,
  avgState(s.value) AS value_avg, minState(s.value) AS value_min, maxState(s.value) AS value_max,
  argMaxState(s.value, s.ts) AS value_last, countState() AS samples, maxState(s.ts) AS last_ts
FROM ${qualified(ctx, 'samples')} AS s
GROUP BY ts, cluster, metric, member, peer`,
  ];
}

export const migration: Migration = {
  version: 2,
  name: 'rollups',
  statements: (ctx) => [...rollup(ctx, 'samples_1m', 'toStartOfMinute', 'toDate(ts)'), ...rollup(ctx, 'samples_1h', 'toStartOfHour', 'toYYYYMM(ts)')],
};
