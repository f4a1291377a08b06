import { describe, expect, it } from 'vitest';
import { RULES } from './catalog.ts';
import { analyzeSnapshot } from './analyze.ts';
import { evaluateRules } from './evaluate.ts';
import { buildSignals } from './signals.ts';
import { longestRun } from './judge.ts';
import { DEFAULT_CONFIG, type Rule } from './types.ts';
import { constant, points, series, snapshot } from './fixtures/snapshot.ts';
import { parseDuration } from '../catalog/index.ts';

const window = { start: 'a', end: 'b' };
const findingsFor = (rule: Rule, snap = snapshot()) => evaluateRules(buildSignals(snap), [rule], DEFAULT_CONFIG, window).findings;

/** A value on the firing side of `threshold` by `factor` (works for "above" and "below" rules). */
function beyond(rule: Rule, threshold: number, factor: number): number {
  if (rule.direction === 'below') return threshold - Math.abs(threshold || 1) * (factor - 1);
  return threshold === 0 ? factor - 1 : threshold * factor;
}

/** Drives a rule's signal for one entity; derived signals are produced through the snapshot. */
function snapWith(rule: Rule, value: number, hold: 'full' | 'spike' = 'full') {
  const gateSeries = rule.onlyWhen ? [series(rule.onlyWhen.signal, 'etcd-1', constant(rule.onlyWhen.atLeast * 2))] : [];
  if (rule.signal === 'memberMissing') return snapshot({ missing: value >= 1 ? ['etcd-1'] : [] });
  if (rule.signal === 'quorumLost') return snapshot({ missing: value >= 1 ? ['etcd-1', 'etcd-2'] : [] });
  if (rule.signal === 'alarmNoSpace') {
    return snapshot({ status: { members: [], endpoints: [], alarms: value >= 1 ? [{ memberId: '1', memberName: 'etcd-0', alarm: 'NOSPACE' }] : [], collectedAt: 'x' } as never });
  }
  const entity = rule.scope === 'node' ? 'node-a' : 'etcd-1';
  const pts = hold === 'full' ? constant(value) : points((t) => (t >= 300 && t < 330 ? value : null));
  return snapshot({ series: [series(rule.signal, entity, pts), ...gateSeries] });
}

describe('every rule at, below and above its thresholds', () => {
  for (const rule of RULES) {
    describe(rule.id, () => {
      const { warning, critical } = rule.thresholds;
      it('does not fire below the warning level', () => {
        const below = rule.direction === 'above' ? warning * 0.5 - (warning === 0 ? 1 : 0) : warning + Math.abs(warning || 1);
        expect(findingsFor(rule, snapWith(rule, below))).toEqual([]);
      });
      it('fires a warning at the warning level', () => {
        const f = findingsFor(rule, snapWith(rule, warning));
        expect(f).toHaveLength(1);
        expect(f[0]!.severity).toBe(warning === critical ? 'critical' : 'warning');
      });
      it('fires critical at and above the critical level, with evidence', () => {
        for (const v of [critical, beyond(rule, critical, 1.5)]) {
          const f = findingsFor(rule, snapWith(rule, v));
          expect(f).toHaveLength(1);
          expect(f[0]).toMatchObject({ severity: 'critical', rule: rule.id, subsystem: rule.subsystem });
          expect(f[0]!.evidence[0]).toMatchObject({ metric: rule.signal, threshold: critical });
          expect(f[0]!.summary).not.toMatch(/\{\w+\}/);
        }
      });
      if (rule.mode === 'sustained') {
        it(`ignores a spike shorter than ${rule.holdFor}`, () => {
          expect(parseDuration(rule.holdFor!)).toBeGreaterThan(30);
          expect(findingsFor(rule, snapWith(rule, beyond(rule, critical, 3), 'spike'))).toEqual([]);
        });
      }
      if (rule.onlyWhen) {
        it(`judges only when ${rule.onlyWhen.signal} >= ${rule.onlyWhen.atLeast}`, () => {
          const s = snapshot({ series: [series(rule.signal, 'etcd-1', constant(critical)), series(rule.onlyWhen!.signal, 'etcd-1', constant(rule.onlyWhen!.atLeast / 2))] });
          expect(findingsFor(rule, s)).toEqual([]);
        });
      }
    });
  }
});

describe('longestRun', () => {
  it('breaks a run at a gap longer than two steps', () => {
    const pts: Array<[number, number]> = [[0, 5], [15, 5], [30, 5], [90, 5], [105, 5]];
    expect(longestRun(pts, 4, 'above')).toEqual({ seconds: 45, level: 5 });
  });
  it('reports the least extreme value held', () => {
    expect(longestRun([[0, 9], [15, 6], [30, 8], [45, 1]], 5, 'above')).toEqual({ seconds: 45, level: 6 });
  });
});

describe('hold times longer than the window', () => {
  const rule = RULES.find((r) => r.id === 'nodeCpu')!;
  const pts = (vals: number[]): Array<[number, number]> => vals.map((v, i) => [1_700_000_000 + 15 * i, v]);
  const oneMinute = { start: new Date(1_700_000_000_000).toISOString(), end: new Date(1_700_000_060_000).toISOString() };
  const table = (vals: number[]) => buildSignals(snapshot({ series: [{ ...series('nodeCpuPercent', 'node-a', pts(vals)), scope: 'node' as const }] }));

  it('fires when the condition holds for the whole window (a 1 min window, a 2 min hold)', () => {
    const f = evaluateRules(table([72, 75, 73, 74, 72]), [rule], DEFAULT_CONFIG, oneMinute).findings;
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence[0]!.basis).toMatch(/whole 60 s window/);
  });

  it('does not fire when the condition breaks inside the window', () => {
    expect(evaluateRules(table([72, 75, 40, 74, 72]), [rule], DEFAULT_CONFIG, oneMinute).findings).toEqual([]);
  });
});

describe('config overrides', () => {
  it('moves thresholds and can disable a rule', () => {
    const rule = RULES.find((r) => r.id === 'walFsyncLatency')!;
    const snap = snapshot({ series: [series('walFsyncP99', 'etcd-1', constant(0.02))] });
    const t = buildSignals(snap);
    expect(evaluateRules(t, [rule], DEFAULT_CONFIG, window).findings[0]!.severity).toBe('warning');
    expect(evaluateRules(t, [rule], { rules: { walFsyncLatency: { warning: 0.005, critical: 0.015 } } }, window).findings[0]!.severity).toBe('critical');
    expect(evaluateRules(t, [rule], { rules: { walFsyncLatency: { enabled: false } } }, window).findings).toEqual([]);
    expect(evaluateRules(t, [rule], { rules: { walFsyncLatency: { holdFor: '20m' } } }, window).findings).toEqual([]);
  });
});

describe('analysis and root causes', () => {
  const analyze = (s: ReturnType<typeof snapshot>) => analyzeSnapshot(s, { id: 'r1', generatedAt: '2026-01-01T00:00:00Z' });

  it('calls a quiet cluster healthy with grade A', () => {
    const r = analyze(snapshot());
    expect(r).toMatchObject({ status: 'healthy', grade: 'A', findings: [], rootCauses: [] });
    expect(r.headline).toMatch(/not the bottleneck/);
  });

  it('slow WAL fsync on one follower only -> that member\'s disk first, with the contrast as evidence', () => {
    // 64 ms: the p99 the lab measures with 40 ms of injected fdatasync delay.
    const r = analyze(snapshot({ series: [series('walFsyncP99', 'etcd-2', constant(0.064)), series('backendCommitP99', 'etcd-2', constant(0.12))] }));
    expect(r.status).toBe('critical');
    expect(r.rootCauses[0]).toMatchObject({ id: 'slowDisk:etcd-2', member: 'etcd-2', subsystem: 'disk' });
    expect(r.rootCauses[0]!.evidence.join(' ')).toMatch(/other members stay low: WAL fsync p99 etcd-0 2\.00 ms, etcd-1 2\.00 ms/);
    expect(r.recommendations[0]!.command).toMatch(/fio/);
    expect(r.kpis.find((k) => k.id === 'walFsyncP99' && k.member === 'etcd-2')).toMatchObject({ value: 0.064, status: 'critical', threshold: 0.01 });
  });

  it('one slow WAL plus commit warnings elsewhere (a recent defrag in the quantile window) -> still that member\'s disk first', () => {
    // Recorded in the lab: slow-disk on etcd-1 shortly after a quota fault was healed by defrag.
    const r = analyze(snapshot({ series: [
      series('walFsyncP99', 'etcd-1', constant(0.064)), series('backendCommitP99', 'etcd-1', constant(0.2)),
      series('backendCommitP99', 'etcd-0', constant(0.04)), series('backendCommitP99', 'etcd-2', constant(0.045)),
    ] }));
    expect(r.rootCauses[0]).toMatchObject({ id: 'slowDisk:etcd-1', member: 'etcd-1' });
    expect(r.rootCauses.map((c) => c.id)).toEqual(expect.arrayContaining(['slowBackend:etcd-0', 'slowBackend:etcd-2']));
    expect(r.rootCauses.some((c) => c.id === 'sharedStorage')).toBe(false);
  });

  it('every WAL above target but one far above the rest -> that member\'s disk, not shared storage', () => {
    const r = analyze(snapshot({ series: [series('walFsyncP99', 'etcd-0', constant(0.012)), series('walFsyncP99', 'etcd-1', constant(0.014)), series('walFsyncP99', 'etcd-2', constant(0.07))] }));
    expect(r.rootCauses[0]).toMatchObject({ id: 'slowDisk:etcd-2' });
    expect(r.rootCauses[0]!.evidence.join(' ')).toMatch(/other members stay low: WAL fsync p99 etcd-0 12\.0 ms, etcd-1 14\.0 ms/);
  });

  it('slow commits everywhere on a large DB with healthy WAL fsync -> the database, not the disks', () => {
    const big = ['etcd-0', 'etcd-1', 'etcd-2'].flatMap((m) => [series('backendCommitP99', m, constant(0.2)), series('dbSize', m, constant(3 * 2 ** 30))]);
    const r = analyze(snapshot({ series: big }));
    expect(r.rootCauses[0]).toMatchObject({ id: 'slowBackend', member: null, subsystem: 'database' });
    expect(r.rootCauses[0]!.cause).toMatch(/large database/);
    expect(r.rootCauses[0]!.where).toMatch(/^cluster-wide: backend commits are slow on all 3 members/);
    expect(r.rootCauses[0]!.explains).toHaveLength(3);
  });

  it('slow commits on a small, unfragmented DB -> no "large or fragmented database": it says what else was checked', () => {
    // 40 MiB, 25 % free (the fixture's healthy DB), nothing else going on.
    const r = analyze(snapshot({ series: [series('backendCommitP99', 'etcd-1', constant(0.06))] }));
    const c = r.rootCauses.find((x) => x.id === 'slowBackend:etcd-1')!;
    expect(c.cause).not.toMatch(/large|fragmented/);
    expect(c.cause).toMatch(/none of the usual explanations holds/);
    expect(c.confidence).toBeLessThan(0.3);
    expect(c.evidence.join(' ')).toMatch(/does not hold: DB 40\.0 MiB on etcd-1, 25\.0 % of it reclaimable \(below 1\.0 GiB/);
    expect(c.evidence.join(' ')).toMatch(/does not hold: no compaction, defragmentation or snapshot/);
  });

  it('slow commits on a small DB during a defragmentation and a write burst -> those, with confidence from how many hold', () => {
    const burst = points((t) => (t > 600 ? 400 : 50));
    const r = analyze(snapshot({ series: [series('backendCommitP99', 'etcd-1', constant(0.06)), series('defrags', 'etcd-1', [[1_700_000_900, 1]]), series('proposalsCommittedRate', 'etcd-1', burst)] }));
    const c = r.rootCauses.find((x) => x.id === 'slowBackend:etcd-1')!;
    expect(c.cause).toMatch(/compaction, defragmentation or snapshots in the window/);
    expect(c.evidence.join(' ')).toMatch(/holds: commit rate on etcd-1 peaks at 400/);
    expect(c.confidence).toBeCloseTo(0.65, 5);
    expect(c.member).toBe('etcd-1');
  });

  const reads = (member: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ ts: new Date((1_700_000_100 + i * 10) * 1000).toISOString(), member, level: 'warn', kind: 'expensive-read' as const, message: 'apply request took too long', durationMs: 250, expectedMs: 100 }));

  it('slow applies with many slow range reads in the logs on healthy disks -> expensive client reads', () => {
    const slow = ['etcd-0', 'etcd-1'].map((m) => series('slowApplies', m, [[1_700_000_900, 30]]));
    const r = analyze(snapshot({ series: slow, logEvents: [...reads('etcd-0', 6), ...reads('etcd-1', 6)] }));
    expect(r.rootCauses[0]).toMatchObject({ id: 'clientLoad', member: null });
    expect(r.rootCauses[0]!.where).toMatch(/cluster-wide: clients load etcd-0, etcd-1 alike/);
  });

  it('slow range reads in the logs with no symptom -> healthy, and no root cause to explain nothing', () => {
    const r = analyze(snapshot({ logEvents: [...reads('etcd-0', 20), ...reads('etcd-1', 20)] }));
    expect(r.status).toBe('healthy');
    expect(r.rootCauses).toEqual([]);
  });

  it('slow range reads only where the WAL is slow -> the disk, with the reads as its symptom', () => {
    const r = analyze(snapshot({ series: [series('walFsyncP99', 'etcd-2', constant(0.064)), series('slowApplies', 'etcd-2', [[1_700_000_900, 12]])], logEvents: reads('etcd-2', 12) }));
    expect(r.rootCauses[0]).toMatchObject({ id: 'slowDisk:etcd-2' });
    expect(r.rootCauses[0]!.explains).toEqual(expect.arrayContaining(['walFsyncLatency:etcd-2', 'slowApplies:etcd-2']));
    const load = r.rootCauses.find((c) => c.id.startsWith('clientLoad'));
    expect(load?.confidence).toBeLessThan(0.5);
    expect(load?.evidence.join(' ')).toMatch(/symptom of that disk/);
  });

  it('slow fsync on every member at a high write rate -> write load, not one disk', () => {
    const s = ['etcd-0', 'etcd-1', 'etcd-2'].flatMap((m) => [series('walFsyncP99', m, constant(0.03)), series('proposalsCommittedRate', m, constant(900))]);
    const r = analyze(snapshot({ series: s }));
    expect(r.rootCauses[0]).toMatchObject({ id: 'writeLoad', member: null });
    expect(r.rootCauses[0]!.where).toMatch(/^cluster-wide: all 3 members fsync slowly/);
  });

  it('slow fsync everywhere at a modest write rate -> shared or slow storage', () => {
    const r = analyze(snapshot({ series: ['etcd-0', 'etcd-1', 'etcd-2'].map((m) => series('walFsyncP99', m, constant(0.03))) }));
    expect(r.rootCauses[0]!.id).toBe('sharedStorage');
  });

  it('high peer RTT from one member plus leader changes -> network to that member', () => {
    const r = analyze(snapshot({ series: [series('peerRttP99', 'etcd-1', constant(0.2)), series('leaderChanges', 'etcd-0', [[1_700_000_900, 5]])] }));
    expect(r.rootCauses[0]).toMatchObject({ id: 'network:etcd-1', subsystem: 'network' });
    expect(r.rootCauses[0]!.confidence).toBeGreaterThan(r.rootCauses[1]?.confidence ?? 0);
  });

  it('leader changes with no disk or network finding -> unstable leadership (consensus)', () => {
    const r = analyze(snapshot({ series: [series('leaderChanges', 'etcd-0', [[1_700_000_900, 6]]), series('proposalsFailedRate', 'etcd-0', constant(0.5))] }));
    expect(r.findings.map((f) => f.rule)).toContain('leaderChanges');
    expect(r.rootCauses[0]).toMatchObject({ id: 'leadership', subsystem: 'consensus' });
  });

  it('a member that vanished mid-window -> members-down finding, not zeros, status not healthy', () => {
    const r = analyze(snapshot({ missing: ['etcd-2'] }));
    expect(r.status).toBe('critical');
    expect(r.findings.map((f) => f.id)).toContain('membersDown:etcd-2');
    expect(r.rootCauses[0]).toMatchObject({ id: 'memberDown:etcd-2' });
    expect(r.members.find((m) => m.name === 'etcd-2')!.present).toBe(false);
  });

  it('a fragmented large DB with no symptom -> a risk with a defrag recommendation, still healthy', () => {
    const s = [series('dbSize', 'etcd-0', constant(300 * 2 ** 20)), series('dbSizeInUse', 'etcd-0', constant(90 * 2 ** 20)), series('dbFragmentationPercent', 'etcd-0', constant(70))];
    const r = analyze(snapshot({ series: s }));
    expect(r.status).toBe('healthy');
    expect(r.findings).toEqual([]);
    expect(r.risks.map((f) => f.id)).toEqual(['dbFragmentation:etcd-0']);
    expect(r.rootCauses).toEqual([]);
    expect(r.recommendations.some((x) => x.command?.includes('defrag'))).toBe(true);
  });

  it('a fragmented large DB near its quota -> fragmentation explains the quota, with a defrag command', () => {
    const s = [series('dbSize', 'etcd-0', constant(300 * 2 ** 20)), series('dbSizeInUse', 'etcd-0', constant(90 * 2 ** 20)), series('dbFragmentationPercent', 'etcd-0', constant(70)), series('dbQuotaUsedPercent', 'etcd-0', constant(85))];
    const r = analyze(snapshot({ series: s }));
    expect(r.status).toBe('warning');
    const c = r.rootCauses.find((x) => x.id === 'fragmentation:etcd-0')!;
    expect(c.evidence.join(' ')).toMatch(/210\.0 MiB reclaimable/);
    expect(c.explains).toEqual(['dbQuota:etcd-0']);
  });

  it('CPU saturation plus slow applies -> CPU starvation', () => {
    const r = analyze(snapshot({ series: [series('processCpuPercent', 'etcd-0', constant(350)), series('slowApplies', 'etcd-0', [[1_700_000_900, 80]])] }));
    expect(r.rootCauses.map((c) => c.id)).toContain('cpu:etcd-0');
  });

  it('no metrics at all -> unknown, never healthy', () => {
    const s = { ...snapshot({ members: [] }), problems: [{ source: 'prometheus' as const, kind: 'unreachable' as const, message: 'prometheus: cannot connect (ECONNREFUSED)' }] };
    const r = analyze(s);
    expect(r.status).toBe('unknown');
    expect(r.grade).toBe('?');
    expect(r.headline).toMatch(/Cannot tell.*ECONNREFUSED/);
  });

  it('compares KPIs with a baseline report', () => {
    const before = analyze(snapshot());
    const after = analyzeSnapshot(snapshot({ series: [series('walFsyncP99', 'etcd-0', constant(0.004))] }), { id: 'r2', generatedAt: 'x', baseline: before });
    const k = after.kpis.find((x) => x.id === 'walFsyncP99' && x.member === 'etcd-0')!;
    expect(k).toMatchObject({ value: 0.004, baseline: 0.002 });
    expect(k.change).toBeCloseTo(1);
    expect(after.baseline).toEqual({ id: 'r1', generatedAt: '2026-01-01T00:00:00Z' });
  });
});
