import { describe, expect, it } from 'vitest';
import { CATALOG } from '../catalog/index.ts';
import type { Series } from '../schema/index.ts';
import { memberPresence, missingMemberProblems, noDataProblems } from './coverage.ts';

const series = (metric: string, entity: string, points: Array<[number, number]>, coverage = 1): Series => ({
  metric,
  scope: 'member',
  entity,
  unit: 'x',
  points,
  coverage,
  summary: null,
});

describe('member presence', () => {
  it('marks a member that went down mid-window as missing, with its up share and last time seen', () => {
    const s = [
      series('memberUp', 'etcd-0', [[0, 1], [15, 1], [30, 1], [45, 1]]),
      series('memberUp', 'etcd-1', [[0, 1], [15, 0], [30, 0], [45, 0]]),
    ];
    const p = memberPresence(s, 45, 30);
    expect(p).toEqual([
      { name: 'etcd-0', present: true, upRatio: 1, lastSeen: 45 },
      { name: 'etcd-1', present: false, upRatio: 0.25, lastSeen: 0 },
    ]);
    const problems = missingMemberProblems(p, 'prometheus');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'member-missing', entity: 'etcd-1' });
    expect(problems[0]!.message).toBe('member etcd-1 is not reporting at the end of the window (last seen up at 1970-01-01T00:00:00.000Z); up for 25 % of the window');
  });

  it('treats a member whose series stop before the end as missing, even without an up series', () => {
    const p = memberPresence([series('walFsyncP99', 'etcd-2', [[0, 0.001], [15, 0.001]])], 300, 30);
    expect(p).toEqual([{ name: 'etcd-2', present: false, lastSeen: 15 }]);
  });
});

describe('no-data problems', () => {
  const wal = CATALOG.filter((m) => m.id === 'walFsyncP99' || m.id === 'containerCpuPercent');

  it('names the members a required metric is missing for, and ignores optional metrics', () => {
    const p = noDataProblems(wal, [series('walFsyncP99', 'etcd-0', [[0, 1]])], ['etcd-0', 'etcd-1'], [], 'prometheus');
    expect(p).toEqual([{ source: 'prometheus', kind: 'no-data', metric: 'walFsyncP99', message: 'no data for walFsyncP99 from etcd-1' }]);
  });

  it('says "any member" when nobody has it', () => {
    const p = noDataProblems(wal, [], ['etcd-0'], [], 'direct');
    expect(p[0]!.message).toBe('no data for walFsyncP99 from any member');
  });
});

describe('member presence at any size', () => {
  it('finds the last time seen among a million points without an up series (no spread into Math.max)', () => {
    const points: Array<[number, number]> = [];
    for (let i = 0; i < 1_000_000; i++) points.push([i, 1]);
    const [m] = memberPresence([series('walFsyncP99', 'etcd-0', points)], 999_999, 30);
    expect(m).toMatchObject({ name: 'etcd-0', present: true, lastSeen: 999_999 });
  });
});
