import { describe, expect, it } from 'vitest';
import { byLabels, CATALOG } from '../catalog/index.ts';
import { FindingEventSchema, type MetricBatch, MetricBatchSchema, ReportSchema } from '../schema/index.ts';
import { BadTimeError, chTime, findingRow, logCountRows, logEventRows, memberStatusRows, reportRow, sampleRows } from './transform.ts';

const T = Date.UTC(2026, 4, 1, 10, 0, 0) / 1000;

function batch(over: Partial<MetricBatch> = {}): MetricBatch {
  return MetricBatchSchema.parse({
    schemaVersion: 1,
    id: 'prod:disk:1',
    cluster: 'prod',
    category: 'disk',
    tickId: 't1',
    tickBatches: 1,
    collectedAt: '2026-05-01T10:00:31Z',
    source: 'prometheus',
    window: { start: '2026-05-01T09:59:30Z', end: '2026-05-01T10:00:30Z', stepSeconds: 30 },
    members: [
      { name: 'etcd-0', node: 'n0', present: true, upRatio: 1 },
      { name: 'etcd-1', present: false },
    ],
    nodes: ['n0'],
    series: [
      { metric: 'walFsyncP99', scope: 'member', entity: 'etcd-0', unit: 'seconds', points: [[T, 0.004], [T + 30.123, 0.005]], coverage: 1, summary: null },
      { metric: 'peerRttP90ByPeer', scope: 'member', entity: 'etcd-0', labels: { To: 'fd422379fda50e48' }, unit: 'seconds', points: [[T, 0.001]], coverage: 1, summary: null },
    ],
    problems: [],
    ...over,
  });
}

describe('sampleRows', () => {
  it('writes one row per point, the peer from label To, times as DateTime64(3) text', () => {
    const { rows, skipped } = sampleRows(batch());
    expect(skipped).toBe(0);
    expect(rows).toEqual([
      { ts: '2026-05-01 10:00:00.000', cluster: 'prod', metric: 'walFsyncP99', member: 'etcd-0', peer: '', labels: {}, scope: 'member', unit: 'seconds', value: 0.004, batch_id: 'prod:disk:1' },
      { ts: '2026-05-01 10:00:30.123', cluster: 'prod', metric: 'walFsyncP99', member: 'etcd-0', peer: '', labels: {}, scope: 'member', unit: 'seconds', value: 0.005, batch_id: 'prod:disk:1' },
      { ts: '2026-05-01 10:00:00.000', cluster: 'prod', metric: 'peerRttP90ByPeer', member: 'etcd-0', peer: 'fd422379fda50e48', labels: {}, scope: 'member', unit: 'seconds', value: 0.001, batch_id: 'prod:disk:1' },
    ]);
  });

  it('skips a value that is not a finite number (a gap, never a zero)', () => {
    const b = batch();
    b.series[0]!.points.push([T + 60, Number.NaN], [T + 90, Number.POSITIVE_INFINITY]);
    const { rows, skipped } = sampleRows(b);
    expect(skipped).toBe(2);
    expect(rows).toHaveLength(3);
  });

  it('loses no label: To becomes the peer, any other label stays in labels', () => {
    const kept = [...new Set(CATALOG.flatMap((m) => byLabels(m.expr) ?? []))].sort();
    const b = batch();
    b.series[1]!.labels = Object.fromEntries(kept.map((k) => [k, `v-${k}`]));
    const row = sampleRows(b).rows[2]!;
    expect({ ...row.labels, ...(row.peer ? { To: row.peer } : {}) }).toEqual(b.series[1]!.labels);
    expect(kept).toContain('To');
  });
});

describe('memberStatusRows', () => {
  it('writes presence per member when the batch carries no status', () => {
    const rows = memberStatusRows(batch());
    expect(rows.map((r) => [r.member, r.present, r.up_ratio, r.node, r.has_status, r.healthy])).toEqual([
      ['etcd-0', true, 1, 'n0', false, null],
      ['etcd-1', false, null, '', false, null],
    ]);
    expect(rows[0]!.ts).toBe('2026-05-01 10:00:30.000');
  });

  it('joins etcd status: leader, sizes, raft indexes, alarms, an endpoint that failed', () => {
    const rows = memberStatusRows(
      batch({
        status: {
          members: [
            { id: '1', idHex: '1', name: 'etcd-0', peerUrls: [], clientUrls: [], isLearner: false },
            { id: '2', idHex: '2', name: 'etcd-1', peerUrls: [], clientUrls: [], isLearner: false },
            { id: '3', idHex: '3', name: '', peerUrls: [], clientUrls: [], isLearner: true },
          ],
          endpoints: [
            { endpoint: 'https://a:2379', memberId: '1', healthy: true, dbSize: 100, raftIndex: 9_007_199_254, raftTerm: 3, version: '3.5.17' },
            { endpoint: 'https://b:2379', healthy: false, memberName: 'etcd-1', error: 'deadline exceeded' },
          ],
          alarms: [{ memberId: '1', alarm: 'NOSPACE' }],
          leader: { id: '1' },
          collectedAt: '2026-05-01T10:00:30Z',
        },
      }),
    );
    const byName = new Map(rows.map((r) => [r.member, r]));
    expect([...byName.keys()]).toEqual(['etcd-0', 'etcd-1', '3']);
    expect(byName.get('etcd-0')).toMatchObject({ leader: true, healthy: true, db_size: 100, raft_index: 9_007_199_254, alarms: ['NOSPACE'], has_status: true, version: '3.5.17', endpoint: 'https://a:2379' });
    expect(byName.get('etcd-1')).toMatchObject({ leader: false, healthy: false, errors: ['deadline exceeded'], present: false });
    expect(byName.get('3')).toMatchObject({ learner: true, healthy: null, present: false, member_id: '3' });
  });

  it('refuses a window end that is not a time', () => {
    expect(() => memberStatusRows(batch({ window: { start: 'x', end: 'yesterday-ish', stepSeconds: 30 } }))).toThrow(BadTimeError);
  });
});

describe('log rows', () => {
  it('keep sampled events and the exact counts of the window', () => {
    const b = batch({
      logEvents: [{ ts: '2026-05-01T10:00:01.5Z', level: 'warn', kind: 'slow-fdatasync', message: 'slow fdatasync', durationMs: 1200, detail: { took: '1.2s' } }],
      logs: { counts: [{ member: null, kind: 'error', count: 3, firstTs: '2026-05-01T10:00:00Z', lastTs: '2026-05-01T10:00:20Z' }], files: [], outsideWindow: { before: 0, after: 0 }, samplePerKind: 20 },
    });
    expect(logEventRows(b)).toEqual([{ ts: '2026-05-01 10:00:01.500', cluster: 'prod', member: '', kind: 'slow-fdatasync', level: 'warn', peer: '', duration_ms: 1200, expected_ms: null, message: 'slow fdatasync', detail: '{"took":"1.2s"}', raw: '', batch_id: 'prod:disk:1' }]);
    expect(logCountRows(b)).toEqual([{ window_start: '2026-05-01 09:59:30.000', window_end: '2026-05-01 10:00:30.000', cluster: 'prod', member: '', kind: 'error', count: 3, first_ts: '2026-05-01 10:00:00.000', last_ts: '2026-05-01 10:00:20.000', max_duration_ms: null, batch_id: 'prod:disk:1' }]);
  });
});

describe('findingRow and reportRow', () => {
  it('flatten a transition, naming the most confident cause', () => {
    const e = FindingEventSchema.parse({
      schemaVersion: 1,
      id: 'ep',
      cluster: 'prod',
      state: 'firing',
      since: '2026-05-01T10:00:00Z',
      at: '2026-05-01T10:00:30Z',
      finding: { id: 'f', rule: 'r', role: 'symptom', severity: 'critical', category: 'disk', subsystem: 'disk', member: null, summary: 's', evidence: [] },
      rootCauses: [
        { id: 'a', cause: 'cpu', member: null, where: 'cluster-wide', confidence: 0.2, explains: ['f'], subsystem: 'resources', evidence: [], recommendations: [] },
        { id: 'b', cause: 'slow disk', member: 'etcd-2', where: 'member etcd-2', confidence: 0.9, explains: ['f'], subsystem: 'disk', evidence: [], recommendations: [] },
      ],
    });
    expect(findingRow(e)).toMatchObject({ member: '', peer: '', top_cause: 'slow disk (etcd-2)', since: '2026-05-01 10:00:00.000', evidence: '[]' });
  });

  it('keeps the whole report as JSON next to its headline columns', () => {
    const r = ReportSchema.parse({
      schemaVersion: 2, id: 'r', generatedAt: '2026-05-01T10:00:00Z', cluster: 'shown', source: 'x', window: { start: '2026-05-01T09:45:00Z', end: '2026-05-01T10:00:00Z' }, status: 'healthy', score: null, grade: '?', headline: 'h', members: [], subsystems: [], kpis: [],
      coverage: { complete: true, signals: [], members: [], summary: '' }, findings: [], risks: [], rootCauses: [], recommendations: [], problems: [], charts: [], baseline: null,
    });
    const row = reportRow('prod', r);
    expect(row).toMatchObject({ id: 'r', cluster: 'prod', score: null, window_start: '2026-05-01 09:45:00.000', findings: 0 });
    expect(JSON.parse(row.report)).toEqual(r);
  });

  it('formats unix ms for DateTime64(3)', () => {
    expect(chTime(0)).toBe('1970-01-01 00:00:00.000');
  });
});
