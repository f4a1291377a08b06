/**
 * Synthetic bus messages for the store's integration tests and benchmark: valid MetricBatch,
 * FindingEvent and Report values (checked against their schemas), deterministic from their inputs.
 */
import { type FindingEvent, FindingEventSchema, type MetricBatch, MetricBatchSchema, type Report, ReportSchema, type Series } from '../src/schema/index.ts';

export const MEMBERS = ['etcd-0', 'etcd-1', 'etcd-2'] as const;
export const MEMBER_IDS: Record<string, string> = { 'etcd-0': '8e9e05c52164694d', 'etcd-1': '91bc3c398fb3c146', 'etcd-2': 'fd422379fda50e48' };
const DECIMAL_IDS: Record<string, string> = { 'etcd-0': '10276657743932975437', 'etcd-1': '10501334649042878790', 'etcd-2': '18249187646912138824' };

export interface BatchSpec {
  cluster?: string;
  category?: string;
  /** Window end (unix ms); the window is (end - points * step, end]. */
  endMs: number;
  points?: number;
  stepS?: number;
  /** Plain per-member metrics. */
  metrics?: readonly string[];
  /** Per-peer metrics (label To = the peer's hex id), one series per (member, other member). */
  peerMetrics?: readonly string[];
  withStatus?: boolean;
  withLogs?: boolean;
  /** Makes values differ between otherwise equal specs. */
  seed?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** value of a (metric, member, peer) series at t: smooth, positive, deterministic. */
export function valueAt(metric: string, member: string, peer: string, t: number, seed = 0): number {
  let h = seed;
  for (const ch of `${metric}|${member}|${peer}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return Math.round((1 + (h % 97) / 10 + Math.sin(t / 60 + (h % 13))) * 1e6) / 1e6;
}

export function makeBatch(spec: BatchSpec): MetricBatch {
  const cluster = spec.cluster ?? 'prod-east';
  const category = spec.category ?? 'disk';
  const points = spec.points ?? 3;
  const stepS = spec.stepS ?? 10;
  const endMs = spec.endMs;
  const startMs = endMs - points * stepS * 1000;
  const times = Array.from({ length: points }, (_, i) => (startMs + (i + 1) * stepS * 1000) / 1000);
  const series: Series[] = [];
  const mk = (metric: string, member: string, peer?: string): Series => ({
    metric,
    scope: 'member',
    entity: member,
    ...(peer ? { labels: { To: MEMBER_IDS[peer]! } } : {}),
    unit: 'seconds',
    points: times.map((t) => [t, valueAt(metric, member, peer ?? '', t, spec.seed)] as [number, number]),
    coverage: 1,
    summary: null,
  });
  for (const metric of spec.metrics ?? ['walFsyncP99', 'backendCommitP99']) for (const m of MEMBERS) series.push(mk(metric, m));
  for (const metric of spec.peerMetrics ?? []) for (const m of MEMBERS) for (const p of MEMBERS) if (p !== m) series.push(mk(metric, m, p));
  const id = `${cluster}:${category}:${iso(startMs)}/${iso(endMs)}`;
  const batch: MetricBatch = {
    schemaVersion: 1,
    id,
    cluster,
    category,
    tickId: `${cluster}:${iso(endMs)}`,
    tickBatches: 1,
    collectedAt: iso(endMs + 500),
    source: 'prometheus',
    window: { start: iso(startMs), end: iso(endMs), stepSeconds: stepS },
    members: MEMBERS.map((name, i) => ({ name, node: `node-${i}`, present: true, upRatio: 1 })),
    nodes: MEMBERS.map((_, i) => `node-${i}`),
    series,
    problems: [],
    ...(spec.withStatus
      ? {
          status: {
            members: MEMBERS.map((name) => ({ id: DECIMAL_IDS[name]!, idHex: MEMBER_IDS[name]!, name, peerUrls: [`https://${name}:2380`], clientUrls: [`https://${name}:2379`], isLearner: false })),
            endpoints: MEMBERS.map((name, i) => ({
              endpoint: `https://${name}:2379`,
              memberId: DECIMAL_IDS[name]!,
              memberName: name,
              healthy: i !== 2,
              ...(i === 2 ? { error: 'context deadline exceeded' } : { healthLatencyMs: 3.5 + i, version: '3.5.17', dbSize: 25_000_000 + i, dbSizeInUse: 20_000_000, raftTerm: 7, raftIndex: 123_456_789_012 + i, raftAppliedIndex: 123_456_789_010 + i }),
            })),
            alarms: [{ memberId: DECIMAL_IDS['etcd-1']!, memberName: 'etcd-1', alarm: 'NOSPACE' as const }],
            leader: { id: DECIMAL_IDS['etcd-0']!, idHex: MEMBER_IDS['etcd-0']!, name: 'etcd-0' },
            leaderAgreed: true,
            collectedAt: iso(endMs),
          },
        }
      : {}),
    ...(spec.withLogs
      ? {
          logEvents: [
            { ts: iso(endMs - 5000), member: 'etcd-1', level: 'warn', kind: 'slow-fdatasync' as const, message: 'slow fdatasync', durationMs: 1200, expectedMs: 1000, detail: { took: '1.2s' }, raw: '{"msg":"slow fdatasync"}' },
            { ts: iso(endMs - 2000), member: 'etcd-0', peer: MEMBER_IDS['etcd-2']!, level: 'warn', kind: 'peer-unhealthy' as const, message: "prober detected unhealthy status, it's 'bad'" },
          ],
          logs: {
            counts: [
              { member: 'etcd-1', kind: 'slow-fdatasync' as const, count: 42, firstTs: iso(startMs + 1000), lastTs: iso(endMs - 5000), maxDurationMs: 1200 },
              { member: null, kind: 'error' as const, count: 1, firstTs: iso(endMs - 1000), lastTs: iso(endMs - 1000) },
            ],
            files: [],
            outsideWindow: { before: 0, after: 0 },
            samplePerKind: 20,
          },
        }
      : {}),
  };
  return MetricBatchSchema.parse(batch);
}

export function makeFindingEvent(spec: { cluster?: string; id: string; state: 'pending' | 'firing' | 'resolved'; atMs: number; sinceMs?: number; severity?: 'warning' | 'critical'; member?: string | null }): FindingEvent {
  const member = spec.member === undefined ? 'etcd-2' : spec.member;
  return FindingEventSchema.parse({
    schemaVersion: 1,
    id: spec.id,
    cluster: spec.cluster ?? 'prod-east',
    state: spec.state,
    since: iso(spec.sinceMs ?? spec.atMs - 60_000),
    at: iso(spec.atMs),
    finding: {
      id: `walFsyncLatency:${member ?? 'cluster'}`,
      rule: 'walFsyncLatency',
      role: 'symptom',
      severity: spec.severity ?? 'critical',
      category: 'disk',
      subsystem: 'disk',
      member,
      ...(member ? { peer: 'etcd-0' } : {}),
      summary: `WAL fsync p99 25 ms on ${member ?? 'the cluster'} (it's "slow")`,
      evidence: [{ metric: 'walFsyncP99', member, value: 0.025, unit: 'seconds', threshold: 0.01, basis: 'p99 held 40 s' }],
    },
    rootCauses:
      spec.state === 'firing'
        ? [
            { id: 'slowDisk', cause: 'slow disk', member, where: `member ${member}`, confidence: 0.9, explains: [`walFsyncLatency:${member}`], subsystem: 'disk', evidence: ['iowait 40%'], recommendations: [{ priority: 1, category: 'disk', action: 'move etcd to an SSD', rationale: 'fsync latency' }] },
            { id: 'cpu', cause: 'cpu starvation', member, where: `member ${member}`, confidence: 0.3, explains: [`walFsyncLatency:${member}`], subsystem: 'resources', evidence: [], recommendations: [] },
          ]
        : [],
  });
}

export function makeReport(spec: { id: string; cluster?: string; generatedMs: number; status?: 'healthy' | 'warning' | 'critical' | 'unknown' }): Report {
  return ReportSchema.parse({
    schemaVersion: 2,
    id: spec.id,
    generatedAt: iso(spec.generatedMs),
    cluster: spec.cluster ?? 'prod-east',
    source: 'prometheus',
    window: { start: iso(spec.generatedMs - 900_000), end: iso(spec.generatedMs) },
    status: spec.status ?? 'warning',
    score: 71.5,
    grade: 'C',
    headline: 'etcd-2 disk is slow',
    members: MEMBERS.map((name, i) => ({ name, present: true, leader: i === 0 })),
    subsystems: [{ name: 'disk', score: 40, status: 'warning', summary: 'fsync slow on etcd-2' }],
    kpis: [],
    coverage: { complete: true, signals: ['walFsyncP99'], members: [], summary: 'complete' },
    findings: [],
    risks: [],
    rootCauses: [],
    recommendations: [],
    problems: [],
    charts: [],
    baseline: null,
  });
}
