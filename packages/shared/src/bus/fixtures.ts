import { FINDING_EVENT_SCHEMA_VERSION, METRIC_BATCH_SCHEMA_VERSION, type FindingEvent, type MetricBatch } from '../schema/index.ts';

/** Test data: a small valid MetricBatch (deterministic id from cluster, category and window end). */
export function sampleBatch(over: Partial<MetricBatch> = {}, i = 0): MetricBatch {
  const end = new Date(Date.UTC(2025, 0, 1, 0, 0, 30 * (i + 1))).toISOString();
  const start = new Date(Date.UTC(2025, 0, 1, 0, 0, 30 * i)).toISOString();
  const cluster = over.cluster ?? 'prod-east';
  const category = over.category ?? 'walFsync';
  return {
    schemaVersion: METRIC_BATCH_SCHEMA_VERSION,
    id: `${cluster}:${category}:${end}`,
    cluster,
    category,
    tickId: `${cluster}:${end}`,
    tickBatches: 1,
    collectedAt: end,
    source: 'direct',
    window: { start, end, stepSeconds: 10 },
    members: [{ name: 'etcd-0', present: true }],
    nodes: [],
    series: [
      {
        metric: 'walFsyncP99',
        scope: 'member',
        entity: 'etcd-0',
        unit: 'seconds',
        points: [[Date.parse(end) / 1000, 0.004 + i * 1e-6]],
        coverage: 1,
        summary: null,
      },
    ],
    problems: [],
    ...over,
  };
}

/** Test data: a firing FindingEvent. */
export function sampleFindingEvent(over: Partial<FindingEvent> = {}, i = 0): FindingEvent {
  const at = new Date(Date.UTC(2025, 0, 1, 0, 1, i)).toISOString();
  return {
    schemaVersion: FINDING_EVENT_SCHEMA_VERSION,
    id: `prod-east:walFsyncSlow:etcd-1:${i}`,
    cluster: 'prod-east',
    state: 'firing',
    since: at,
    at,
    finding: {
      id: 'walFsyncSlow:etcd-1',
      rule: 'walFsyncSlow',
      role: 'symptom',
      severity: 'warning',
      category: 'disk',
      subsystem: 'disk',
      member: 'etcd-1',
      summary: 'WAL fsync p99 25 ms on etcd-1 (target 10 ms)',
      evidence: [{ metric: 'walFsyncP99', member: 'etcd-1', value: 0.025, unit: 'seconds', threshold: 0.01, basis: 'p99 over 30 s' }],
    },
    rootCauses: [],
    ...over,
  };
}
