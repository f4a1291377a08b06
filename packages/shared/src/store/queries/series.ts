import { z } from 'zod';
import { parseQuery, type SeriesQuery, SeriesQuerySchema } from '../query-options.ts';
import { planSeries, type Resolution } from '../resolution.ts';
import type { Runner } from '../runner.ts';
import { Int } from './columns.ts';

export interface SeriesResult {
  readonly cluster: string;
  readonly metric: string;
  readonly resolution: Resolution;
  readonly stepSeconds: number;
  /** One series per member (and per peer for per-peer metrics); points are [unix seconds, value]. */
  readonly series: ReadonlyArray<{ member: string; peer: string | null; points: Array<[number, number]> }>;
}

const RAW_AGG = { avg: 'avg(value)', min: 'min(value)', max: 'max(value)', last: 'argMax(value, ts)' } as const;
const ROLLUP_AGG = { avg: 'avgMerge(value_avg)', min: 'minMerge(value_min)', max: 'maxMerge(value_max)', last: 'argMaxMerge(value_last)' } as const;

const Row = z.object({ member: z.string(), peer: z.string(), t: Int, v: z.number() });

/** A metric of one cluster over [from, to], per member and peer, at most maxPoints points per series. */
export async function querySeries(run: Runner, input: SeriesQuery, nowMs = Date.now()): Promise<SeriesResult> {
  const q = parseQuery('series query', SeriesQuerySchema, input);
  const plan = planSeries({ fromMs: q.from, toMs: q.to, maxPoints: q.maxPoints, nowMs, ttlDays: run.ctx.ttlDays });
  const member = q.member === undefined ? '' : 'AND member = {member:String}';
  const sql =
    plan.resolution === 'raw'
      ? `SELECT member, peer, intDiv(toUnixTimestamp64Milli(ts) - {origin:Int64}, {step:Int64}) AS bucket,
  toUnixTimestamp64Milli(min(ts)) AS t, ${RAW_AGG[q.agg]} AS v
FROM ${run.table('samples')}
WHERE cluster = {cluster:String} AND metric = {metric:String} ${member}
  AND ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ts <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY member, peer, bucket
ORDER BY member, peer, bucket`
      : `SELECT member, peer, intDiv(toInt64(toUnixTimestamp(ts)) * 1000 - {origin:Int64}, {step:Int64}) AS bucket,
  toInt64(toUnixTimestamp(min(ts))) * 1000 AS t, ${ROLLUP_AGG[q.agg]} AS v
FROM ${run.table(plan.resolution === '1m' ? 'samples_1m' : 'samples_1h')}
WHERE cluster = {cluster:String} AND metric = {metric:String} ${member}
  AND ts >= toDateTime(intDiv({origin:Int64}, 1000), 'UTC') AND ts <= toDateTime(intDiv({to:Int64}, 1000), 'UTC')
GROUP BY member, peer, bucket
ORDER BY member, peer, bucket`;
  const params = { cluster: q.cluster, metric: q.metric, origin: plan.originMs, step: plan.stepMs, from: q.from, to: q.to, ...(q.member === undefined ? {} : { member: q.member }) };
  const rows = await run.rows('series', sql, params, Row);
  const series: Array<{ member: string; peer: string | null; points: Array<[number, number]> }> = [];
  for (const r of rows) {
    const peer = r.peer === '' ? null : r.peer;
    let cur = series.at(-1);
    if (!cur || cur.member !== r.member || cur.peer !== peer) series.push((cur = { member: r.member, peer, points: [] }));
    cur.points.push([r.t / 1000, r.v]);
  }
  return { cluster: q.cluster, metric: q.metric, resolution: plan.resolution, stepSeconds: plan.stepMs / 1000, series };
}
