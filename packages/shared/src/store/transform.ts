/**
 * Pure mapping from the bus contract (MetricBatch, FindingEvent, Report) to table rows. Times
 * become `YYYY-MM-DD hh:mm:ss.sss` (UTC, what a DateTime64(3, 'UTC') column parses); a value that
 * is not a finite number is a gap, never a zero, so it is skipped and counted.
 */
import type { FindingEvent, MetricBatch, Report } from '../schema/index.ts';

export class BadTimeError extends Error {
  override name = 'BadTimeError';
}

/** Unix milliseconds → the DateTime64(3) text form. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
}

/** An ISO-8601 string of the contract → unix ms; throws naming the field when it is not a time. */
export function parseTime(value: string, field: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new BadTimeError(`${field} is not a time: ${JSON.stringify(value.slice(0, 40))}`);
  return ms;
}

export interface SampleRow {
  ts: string;
  cluster: string;
  metric: string;
  member: string;
  peer: string;
  labels: Record<string, string>;
  scope: string;
  unit: string;
  value: number;
  batch_id: string;
}

const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Label To goes to the peer column; any other label to the labels map. */
function splitLabels(labels: Record<string, string> | undefined): { peer: string; labels: Record<string, string> } {
  if (!labels) return { peer: '', labels: NO_LABELS };
  const { To, ...rest } = labels;
  return { peer: To ?? '', labels: Object.keys(rest).length ? rest : NO_LABELS };
}

export function sampleRows(batch: MetricBatch): { rows: SampleRow[]; skipped: number } {
  const rows: SampleRow[] = [];
  let skipped = 0;
  for (const s of batch.series) {
    const { peer, labels } = splitLabels(s.labels);
    for (const [t, v] of s.points) {
      if (!Number.isFinite(t) || !Number.isFinite(v)) {
        skipped++;
        continue;
      }
      rows.push({ ts: chTime(Math.round(t * 1000)), cluster: batch.cluster, metric: s.metric, member: s.entity, peer, labels, scope: s.scope, unit: s.unit, value: v, batch_id: batch.id });
    }
  }
  return { rows, skipped };
}

export interface MemberStatusRow {
  ts: string;
  cluster: string;
  member: string;
  member_id: string;
  node: string;
  present: boolean;
  up_ratio: number | null;
  has_status: boolean;
  healthy: boolean | null;
  leader: boolean;
  learner: boolean;
  endpoint: string;
  version: string;
  db_size: number | null;
  db_size_in_use: number | null;
  db_size_quota: number | null;
  raft_term: number | null;
  raft_index: number | null;
  raft_applied_index: number | null;
  health_latency_ms: number | null;
  alarms: string[];
  errors: string[];
  batch_id: string;
}

/** One row per member the batch names (its members, and etcd status's members when it carried status). */
export function memberStatusRows(batch: MetricBatch): MemberStatusRow[] {
  const ts = chTime(parseTime(batch.window.end, 'window.end'));
  const status = batch.status ?? null;
  const statusMembers = status?.members ?? [];
  const names = [...new Set([...batch.members.map((m) => m.name), ...statusMembers.map((m) => m.name || m.idHex)])];
  return names.map((name) => {
    const ref = batch.members.find((m) => m.name === name);
    const sm = statusMembers.find((m) => (m.name || m.idHex) === name);
    const ep = status?.endpoints.find((e) => (sm !== undefined && e.memberId === sm.id) || (e.memberName !== undefined && e.memberName === name));
    const errors = [...(ep?.error ? [ep.error] : []), ...(ep?.errors ?? [])];
    return {
      ts,
      cluster: batch.cluster,
      member: name,
      member_id: sm?.idHex ?? '',
      node: ref?.node ?? '',
      present: ref ? ref.present : (ep?.healthy ?? false),
      up_ratio: ref?.upRatio ?? null,
      has_status: status !== null,
      healthy: ep ? ep.healthy : null,
      leader: sm !== undefined && status?.leader?.id === sm.id,
      learner: sm?.isLearner ?? false,
      endpoint: ep?.endpoint ?? '',
      version: ep?.version ?? '',
      db_size: ep?.dbSize ?? null,
      db_size_in_use: ep?.dbSizeInUse ?? null,
      db_size_quota: ep?.dbSizeQuota ?? null,
      raft_term: ep?.raftTerm ?? null,
      raft_index: ep?.raftIndex ?? null,
      raft_applied_index: ep?.raftAppliedIndex ?? null,
      health_latency_ms: ep?.healthLatencyMs ?? null,
      alarms: sm ? (status?.alarms ?? []).filter((a) => a.memberId === sm.id).map((a) => a.alarm) : [],
      errors,
      batch_id: batch.id,
    };
  });
}

export interface LogEventRow {
  ts: string;
  cluster: string;
  member: string;
  kind: string;
  level: string;
  peer: string;
  duration_ms: number | null;
  expected_ms: number | null;
  message: string;
  detail: string;
  raw: string;
  batch_id: string;
}

export function logEventRows(batch: MetricBatch): LogEventRow[] {
  return (batch.logEvents ?? []).map((e, i) => ({
    ts: chTime(parseTime(e.ts, `logEvents.${i}.ts`)),
    cluster: batch.cluster,
    member: e.member ?? '',
    kind: e.kind,
    level: e.level,
    peer: e.peer ?? '',
    duration_ms: e.durationMs ?? null,
    expected_ms: e.expectedMs ?? null,
    message: e.message,
    detail: JSON.stringify(e.detail ?? {}),
    raw: e.raw ?? '',
    batch_id: batch.id,
  }));
}

export interface LogCountRow {
  window_start: string;
  window_end: string;
  cluster: string;
  member: string;
  kind: string;
  count: number;
  first_ts: string;
  last_ts: string;
  max_duration_ms: number | null;
  batch_id: string;
}

export function logCountRows(batch: MetricBatch): LogCountRow[] {
  const counts = batch.logs?.counts ?? [];
  if (counts.length === 0) return [];
  const start = chTime(parseTime(batch.window.start, 'window.start'));
  const end = chTime(parseTime(batch.window.end, 'window.end'));
  return counts.map((c, i) => ({
    window_start: start,
    window_end: end,
    cluster: batch.cluster,
    member: c.member ?? '',
    kind: c.kind,
    count: c.count,
    first_ts: chTime(parseTime(c.firstTs, `logs.counts.${i}.firstTs`)),
    last_ts: chTime(parseTime(c.lastTs, `logs.counts.${i}.lastTs`)),
    max_duration_ms: c.maxDurationMs ?? null,
    batch_id: batch.id,
  }));
}

export interface FindingRow {
  id: string;
  cluster: string;
  state: string;
  since: string;
  at: string;
  finding_id: string;
  rule: string;
  role: string;
  severity: string;
  category: string;
  subsystem: string;
  member: string;
  peer: string;
  summary: string;
  evidence: string;
  root_causes: string;
  top_cause: string;
}

export function findingRow(e: FindingEvent): FindingRow {
  const f = e.finding;
  const top = [...e.rootCauses].sort((a, b) => b.confidence - a.confidence)[0];
  return {
    id: e.id,
    cluster: e.cluster,
    state: e.state,
    since: chTime(parseTime(e.since, 'since')),
    at: chTime(parseTime(e.at, 'at')),
    finding_id: f.id,
    rule: f.rule,
    role: f.role,
    severity: f.severity,
    category: f.category,
    subsystem: f.subsystem,
    member: f.member ?? '',
    peer: f.peer ?? '',
    summary: f.summary,
    evidence: JSON.stringify(f.evidence),
    root_causes: JSON.stringify(e.rootCauses),
    top_cause: top ? `${top.cause}${top.member ? ` (${top.member})` : ''}` : '',
  };
}

export interface ReportRow {
  id: string;
  cluster: string;
  generated_at: string;
  window_start: string;
  window_end: string;
  status: string;
  score: number | null;
  grade: string;
  headline: string;
  findings: number;
  risks: number;
  report: string;
}

export function reportRow(cluster: string, r: Report): ReportRow {
  return {
    id: r.id,
    cluster,
    generated_at: chTime(parseTime(r.generatedAt, 'generatedAt')),
    window_start: chTime(parseTime(r.window.start, 'window.start')),
    window_end: chTime(parseTime(r.window.end, 'window.end')),
    status: r.status,
    score: r.score,
    grade: r.grade,
    headline: r.headline,
    findings: Math.min(r.findings.length, 65_535),
    risks: Math.min(r.risks.length, 65_535),
    report: JSON.stringify(r),
  };
}
