import { z } from 'zod';
import { BatchSamplesQuerySchema, type BatchSamplesQuery, parseQuery } from '../query-options.ts';
import type { Runner } from '../runner.ts';
import { Int, iso, NullableNum } from './columns.ts';

export interface ClusterInfo {
  readonly cluster: string;
  /** Time of the newest sample stored for the cluster (ISO-8601). */
  readonly lastSampleAt: string;
}

const ClusterRow = z.object({ cluster: z.string(), last_ms: Int });

/** Every cluster with samples, with its newest sample time (read from the hourly rollup: one row per series and hour). */
export async function queryClusters(run: Runner): Promise<ClusterInfo[]> {
  const rows = await run.rows('clusters', `SELECT cluster, toUnixTimestamp64Milli(maxMerge(last_ts)) AS last_ms FROM ${run.table('samples_1h')} GROUP BY cluster ORDER BY cluster`, {}, ClusterRow);
  return rows.map((r) => ({ cluster: r.cluster, lastSampleAt: iso(r.last_ms) }));
}

export interface MemberStatus {
  readonly member: string;
  /** End of the newest batch that named the member. */
  readonly at: string;
  readonly present: boolean;
  readonly upRatio: number | null;
  readonly node: string | null;
  /** etcd's own status from the newest batch that carried it; null when none did. */
  readonly status: null | {
    readonly at: string;
    readonly memberId: string | null;
    readonly healthy: boolean | null;
    readonly leader: boolean;
    readonly learner: boolean;
    readonly endpoint: string | null;
    readonly version: string | null;
    readonly dbSize: number | null;
    readonly dbSizeInUse: number | null;
    readonly dbSizeQuota: number | null;
    readonly raftTerm: number | null;
    readonly raftIndex: number | null;
    readonly raftAppliedIndex: number | null;
    readonly healthLatencyMs: number | null;
    readonly alarms: string[];
    readonly errors: string[];
  };
}

const PresenceRow = z.object({ member: z.string(), at_ms: Int, present: z.boolean(), up_ratio: z.number().nullable(), node: z.string() });
const StatusRow = z.object({
  member: z.string(),
  at_ms: Int,
  member_id: z.string(),
  healthy: z.boolean().nullable(),
  leader: z.boolean(),
  learner: z.boolean(),
  endpoint: z.string(),
  version: z.string(),
  db_size: NullableNum,
  db_size_in_use: NullableNum,
  db_size_quota: NullableNum,
  raft_term: NullableNum,
  raft_index: NullableNum,
  raft_applied_index: NullableNum,
  health_latency_ms: z.number().nullable(),
  alarms: z.array(z.string()),
  errors: z.array(z.string()),
});

/**
 * The latest known state of each member of a cluster: members seen within an hour of the
 * cluster's newest row (a member gone for longer is no longer listed).
 */
export async function queryMemberStatus(run: Runner, cluster: string): Promise<MemberStatus[]> {
  const t = run.table('member_status');
  const recent = `cluster = {cluster:String} AND ts >= (SELECT max(ts) FROM ${t} WHERE cluster = {cluster:String}) - INTERVAL 1 HOUR`;
  const [presence, status] = await Promise.all([
    run.rows('member status', `SELECT member, toUnixTimestamp64Milli(ts) AS at_ms, present, up_ratio, node FROM ${t} WHERE ${recent} ORDER BY member, ts DESC LIMIT 1 BY member`, { cluster }, PresenceRow),
    run.rows(
      'member status',
      `SELECT member, toUnixTimestamp64Milli(ts) AS at_ms, member_id, healthy, leader, learner, endpoint, version, db_size, db_size_in_use, db_size_quota,
  raft_term, raft_index, raft_applied_index, health_latency_ms, alarms, errors
FROM ${t} WHERE ${recent} AND has_status ORDER BY member, ts DESC LIMIT 1 BY member`,
      { cluster },
      StatusRow,
    ),
  ]);
  const byMember = new Map(status.map((s) => [s.member, s]));
  return presence.map((p) => {
    const s = byMember.get(p.member);
    return {
      member: p.member,
      at: iso(p.at_ms),
      present: p.present,
      upRatio: p.up_ratio,
      node: p.node || null,
      status: s
        ? {
            at: iso(s.at_ms),
            memberId: s.member_id || null,
            healthy: s.healthy,
            leader: s.leader,
            learner: s.learner,
            endpoint: s.endpoint || null,
            version: s.version || null,
            dbSize: s.db_size,
            dbSizeInUse: s.db_size_in_use,
            dbSizeQuota: s.db_size_quota,
            raftTerm: s.raft_term,
            raftIndex: s.raft_index,
            raftAppliedIndex: s.raft_applied_index,
            healthLatencyMs: s.health_latency_ms,
            alarms: s.alarms,
            errors: s.errors,
          }
        : null,
    };
  });
}

export interface StoredSample {
  /** Unix seconds (millisecond precision). */
  readonly ts: number;
  readonly metric: string;
  readonly member: string;
  /** '' for series that are not per peer. */
  readonly peer: string;
  /** Labels other than To (e.g. server_id). */
  readonly labels: Record<string, string>;
  readonly scope: string;
  readonly unit: string;
  readonly value: number;
}

const SampleRow = z.object({ t: Int, metric: z.string(), member: z.string(), peer: z.string(), labels: z.record(z.string(), z.string()), scope: z.string(), unit: z.string(), value: z.number() });

/** The samples stored from one batch, ordered by metric, member, peer, time. */
export async function queryBatchSamples(run: Runner, input: BatchSamplesQuery): Promise<StoredSample[]> {
  const q = parseQuery('batch samples query', BatchSamplesQuerySchema, input);
  const rows = await run.rows(
    'batch samples',
    `SELECT toUnixTimestamp64Milli(ts) AS t, metric, member, peer, labels, scope, unit, value FROM ${run.table('samples')}
WHERE cluster = {cluster:String} AND batch_id = {batch:String} ORDER BY metric, member, peer, ts`,
    { cluster: q.cluster, batch: q.batchId },
    SampleRow,
  );
  return rows.map((r) => ({ ts: r.t / 1000, metric: r.metric, member: r.member, peer: r.peer, labels: r.labels, scope: r.scope, unit: r.unit, value: r.value }));
}
