import { describe, expect, it } from 'vitest';
import { MetricBatchSchema, type ClusterSnapshot } from '@etcd-analyzer/shared/schema';
import { toBatches } from './batches.ts';

const series = (metric: string, entity = 'etcd-0') => ({ metric, scope: 'member' as const, entity, unit: 'seconds', points: [[1000, 1] as [number, number]], coverage: 1, summary: null });
const snapshot = (over: Partial<ClusterSnapshot> = {}): ClusterSnapshot => ({
  schemaVersion: 1, cluster: 'prod/east', source: 'prometheus', collectedAt: '2026-01-01T00:00:10Z',
  window: { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:00:10Z', stepSeconds: 10 },
  members: [{ name: 'etcd-0', present: true }], nodes: [], series: [], status: null, logEvents: [], problems: [], stats: { requests: 1, wallMs: 1 }, ...over,
});

describe('a tick becomes batches', () => {
  it('one valid batch per category with data, with deterministic ids that tell the tick', () => {
    const b = toBatches(snapshot({ series: [series('walFsyncP99'), series('walFsyncP99', 'etcd-1'), series('dbSize'), series('hasLeader')] }), { startMs: 0, endMs: 10_000 });
    expect(b.map((x) => x.category).sort()).toEqual(['database', 'membership', 'walFsync']);
    for (const x of b) expect(MetricBatchSchema.parse(x)).toEqual(x);
    expect(b.find((x) => x.category === 'walFsync')).toMatchObject({ id: 'prod/east/walFsync/0-10000', tickId: 'prod/east/0-10000', tickBatches: 3 });
    expect(b.find((x) => x.category === 'walFsync')!.series).toHaveLength(2);
    // The same tick again: the same ids (JetStream and storage drop the repeat).
    expect(toBatches(snapshot({ series: [series('walFsyncP99'), series('walFsyncP99', 'etcd-1'), series('dbSize'), series('hasLeader')] }), { startMs: 0, endMs: 10_000 }).map((x) => x.id)).toEqual(b.map((x) => x.id));
  });

  it('a failed source is a problem in the membership batch, never a silent tick', () => {
    const b = toBatches(snapshot({ members: [], problems: [{ source: 'prometheus', kind: 'unreachable', message: 'cannot connect' }] }), { startMs: 0, endMs: 10_000 });
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ category: 'membership', series: [], problems: [{ kind: 'unreachable' }] });
  });

  it('a metric\'s problem travels with its category; status and logs get batches of their own', () => {
    const status = { members: [], endpoints: [], alarms: [], collectedAt: 'x' };
    const b = toBatches(snapshot({ status, logEvents: [{ ts: '2026-01-01T00:00:05Z', level: 'warn', kind: 'slow-apply', message: 'x' }], problems: [{ source: 'prometheus', kind: 'no-data', metric: 'walFsyncP99', message: 'no data' }] }), { startMs: 0, endMs: 10_000 });
    expect(b.map((x) => x.category)).toEqual(['membership', 'walFsync', 'status', 'logs']);
    expect(b.find((x) => x.category === 'walFsync')!.problems).toHaveLength(1);
    expect(b.find((x) => x.category === 'status')!.status).toEqual(status);
    expect(b.find((x) => x.category === 'logs')!.logEvents).toHaveLength(1);
  });
});
