import { describe, expect, it } from 'vitest';
import { analyzeSnapshot } from './analyze.ts';
import { constant, points, series, snapshot, WINDOW_END, WINDOW_START } from './fixtures/snapshot.ts';
import type { ClusterSnapshot, Series } from '../schema/index.ts';

const analyze = (s: ClusterSnapshot) => analyzeSnapshot(s, { id: 'r', generatedAt: '2026-01-01T00:00:00Z' });
const MEMBERS = ['etcd-0', 'etcd-1', 'etcd-2'];

/** A snapshot that holds only the given catalog metrics (every member), as a partial answer would. */
function only(metrics: readonly string[], extra: Series[] = []): ClusterSnapshot {
  const full = snapshot();
  return { ...full, series: [...full.series.filter((s) => metrics.includes(s.metric)), ...extra] };
}

describe('"healthy" needs evidence', () => {
  it('a Prometheus that returned only WAL fsync -> unknown (exit 3), grade ?, with the missing signals named per member', () => {
    const r = analyze(only(['walFsyncP99', 'memberUp']));
    expect(r.status).toBe('unknown');
    expect(r.grade).toBe('?');
    expect(r.score).toBeNull();
    expect(r.coverage.complete).toBe(false);
    expect(r.coverage.members.find((m) => m.member === 'etcd-1')).toMatchObject({ present: 1, expected: 7, missing: ['hasLeader', 'backendCommitP99', 'peerRttP99', 'proposalsCommittedRate', 'proposalsFailedRate', 'dbQuotaUsedPercent'] });
    expect(r.headline).toMatch(/Cannot tell whether etcd is the bottleneck: missing data: etcd-0 lacks hasLeader, backendCommitP99/);
    expect(r.subsystems.find((s) => s.name === 'consensus')).toMatchObject({ status: 'unknown', score: null });
    expect(r.subsystems.find((s) => s.name === 'disk')!.summary).toMatch(/cannot judge: backendCommitP99 from every member/);
  });

  it('has_leader as NaN (dropped by the source) -> the consensus subsystem and the verdict are unknown', () => {
    const s = snapshot();
    const r = analyze({ ...s, series: s.series.filter((x) => x.metric !== 'hasLeader') });
    expect(r.status).toBe('unknown');
    expect(r.subsystems.find((x) => x.name === 'consensus')!.status).toBe('unknown');
    expect(r.subsystems.find((x) => x.name === 'disk')!.status).toBe('healthy');
  });

  it('one member missing a core signal -> unknown, naming that member only', () => {
    const s = snapshot();
    const r = analyze({ ...s, series: s.series.filter((x) => !(x.metric === 'backendCommitP99' && x.entity === 'etcd-2')) });
    expect(r.status).toBe('unknown');
    expect(r.coverage.summary).toBe('incomplete: etcd-2 lacks backendCommitP99');
  });

  it('a finding on what is present keeps its severity, with the coverage shown', () => {
    const r = analyze(only(['walFsyncP99', 'memberUp'], [series('walFsyncP99', 'etcd-9', constant(0.2))]));
    expect(r.status).toBe('critical');
    expect(r.coverage.complete).toBe(false);
    expect(r.headline).toMatch(/judged on incomplete data/);
  });

  it('warnings in a Prometheus answer (a partial response) cap the verdict at unknown for the signals they touch', () => {
    const s = snapshot({ problems: [{ source: 'prometheus', kind: 'partial', message: 'the answer for 2 metrics may be incomplete: store timed out', metrics: ['walFsyncP99', 'peerRttP99ByPeer'] }] });
    const r = analyze(s);
    expect(r.status).toBe('unknown');
    expect(r.coverage.members[0]!.partial).toEqual(['walFsyncP99', 'peerRttP99']);
    expect(r.problems[0]!.kind).toBe('partial');
  });

  it('no members at all -> unknown, saying so', () => {
    const r = analyze({ ...snapshot({ members: [] }), problems: [] });
    expect(r.status).toBe('unknown');
    expect(r.coverage.summary).toMatch(/no etcd member was found/);
  });

  it('a single member: no peers, so peer RTT is not expected and network is unknown, not healthy', () => {
    const r = analyze(snapshot({ members: ['solo'] }));
    expect(r.coverage.signals).not.toContain('peerRttP99');
    expect(r.status).toBe('healthy');
    expect(r.subsystems.find((x) => x.name === 'network')).toMatchObject({ status: 'unknown', summary: 'cannot judge: a single member has no peers to measure' });
  });
});

describe('verdicts follow etcd symptoms, not the machine', () => {
  const busyNode = { ...series('nodeCpuPercent', 'node-a', constant(92)), scope: 'node' as const };

  it('a busy node with every etcd signal within target -> healthy, exit 0, the CPU listed as a risk with its numbers', () => {
    const r = analyze({ ...snapshot({ series: [busyNode, series('processCpuPercent', 'etcd-0', constant(180))] }), nodes: ['node-a'] });
    expect(r.status).toBe('healthy');
    expect(r.findings).toEqual([]);
    expect(r.risks.map((f) => [f.id, f.severity, f.role])).toEqual([['nodeCpu:node-a', 'critical', 'risk'], ['etcdCpu:etcd-0', 'warning', 'risk']]);
    expect(r.risks[0]!.summary).toMatch(/CPU on node node-a held 92\.0 %/);
    expect(r.rootCauses).toEqual([]);
    expect(r.headline).toMatch(/not the bottleneck.*2 risk\(s\)/);
    expect(r.kpis.find((k) => k.id === 'nodeCpu')).toMatchObject({ status: 'critical', risk: true, judged: 92 });
    expect(r.subsystems.find((s) => s.name === 'resources')!.status).toBe('healthy');
  });

  it('the same busy node with slow applies and late heartbeats -> CPU starvation explains them', () => {
    const r = analyze({ ...snapshot({ series: [busyNode, series('slowApplies', 'etcd-0', [[WINDOW_END, 60]]), series('heartbeatSendFailures', 'etcd-0', [[WINDOW_END, 8]])] }), nodes: ['node-a'] });
    expect(r.status).toBe('critical');
    const cpu = r.rootCauses.find((c) => c.id === 'cpu:node-a')!;
    expect(cpu).toMatchObject({ member: null, where: 'node node-a', subsystem: 'resources' });
    expect(cpu.explains.sort()).toEqual(['heartbeatFailures:etcd-0', 'slowApplies:etcd-0']);
  });

  it('every root cause names the symptom findings it explains', () => {
    const r = analyze(snapshot({ series: [series('walFsyncP99', 'etcd-2', constant(0.064)), series('leaderChanges', 'etcd-0', [[WINDOW_END, 5]])] }));
    const ids = new Set(r.findings.map((f) => f.id));
    expect(r.rootCauses.length).toBeGreaterThan(0);
    for (const c of r.rootCauses) {
      expect(c.explains.length).toBeGreaterThan(0);
      for (const e of c.explains) expect(ids.has(e)).toBe(true);
    }
  });
});

describe('network faults are localised to a member, by name', () => {
  // Each member's id as etcd prints it, and its RTT to each peer: the link to etcd-2 is slow.
  const IDS: Record<string, string> = { 'etcd-0': '8e9e05c52164694d', 'etcd-1': 'a1b2c3d4e5f60718', 'etcd-2': '5535ab951c747275' };
  function perPeer(slowTo: string | null, slowFrom: string | null = null): Series[] {
    const out: Series[] = [];
    for (const from of MEMBERS) {
      out.push({ ...series('serverId', from, constant(1)), labels: { server_id: IDS[from]! } });
      for (const to of MEMBERS.filter((m) => m !== from)) {
        const slow = to === slowTo || from === slowFrom;
        // Prometheus gives "To" as hex; one id padded with a leading zero, as some exporters do.
        const To = to === 'etcd-2' ? `0${IDS[to]!}` : IDS[to]!;
        out.push({ ...series('peerRttP99ByPeer', from, constant(slow ? 0.205 : 0.0011)), labels: { To } });
      }
    }
    return out;
  }

  it('every member slow to etcd-2, fast between the others -> the network to etcd-2, named first', () => {
    const r = analyze(snapshot({ series: [...perPeer('etcd-2'), series('peerRttP99', 'etcd-0', constant(0.2)), series('peerRttP99', 'etcd-1', constant(0.2))] }));
    expect(r.status).toBe('critical');
    expect(r.findings.map((f) => f.id).sort()).toEqual(['peerRoundTrip:etcd-0>etcd-2', 'peerRoundTrip:etcd-1>etcd-2']);
    expect(r.findings[0]).toMatchObject({ member: 'etcd-0', peer: 'etcd-2' });
    expect(r.findings[0]!.summary).toBe('Peer RTT p99 from etcd-0 to etcd-2 held 205.0 ms for 15 min (threshold 100.0 ms)');
    expect(r.rootCauses[0]).toMatchObject({ id: 'network:etcd-2', member: 'etcd-2', subsystem: 'network', where: 'member etcd-2' });
    expect(r.rootCauses[0]!.cause).toBe('Slow network to etcd-2: its peers reach it slowly');
    const text = r.rootCauses[0]!.evidence.join(' | ');
    expect(text).toMatch(/every slow link touches etcd-2: etcd-0 → etcd-2 205\.0 ms, etcd-1 → etcd-2 205\.0 ms/);
    expect(text).toMatch(/links between the other members stay fast: .*etcd-0 → etcd-1 1\.10 ms/);
    expect(JSON.stringify(r)).not.toMatch(/5535ab951c747275|8e9e05c52164694d/);
  });

  it('one slow link only -> both of its ends, as a link', () => {
    const s = perPeer(null).map((x) => (x.metric === 'peerRttP99ByPeer' && x.entity === 'etcd-0' && x.labels?.To === IDS['etcd-1'] ? { ...x, points: constant(0.3) } : x));
    const r = analyze(snapshot({ series: s }));
    expect(r.rootCauses[0]).toMatchObject({ id: 'network:etcd-0-etcd-1', member: null });
    expect(r.rootCauses[0]!.where).toMatch(/one link, etcd-0 ↔ etcd-1, is slow/);
  });

  it('slow links everywhere -> cluster-wide, saying why', () => {
    const s = perPeer(null).map((x) => (x.metric === 'peerRttP99ByPeer' ? { ...x, points: constant(0.3) } : x));
    const r = analyze(snapshot({ series: s }));
    expect(r.rootCauses[0]).toMatchObject({ id: 'network', member: null });
    expect(r.rootCauses[0]!.where).toBe('cluster-wide: slow links do not share one member');
  });

  it('a peer id that nothing names is shown as an id, said to be one', () => {
    const s = [{ ...series('peerRttP99ByPeer', 'etcd-0', constant(0.3)), labels: { To: 'ffee' } }];
    const r = analyze(snapshot({ series: s }));
    expect(r.findings[0]!.peer).toBe('member id ffee');
  });
});

describe('events belong to the window', () => {
  const oldElections = Array.from({ length: 12 }, (_, i) => ({ ts: new Date((WINDOW_START - 2 * 365 * 86400 + i) * 1000).toISOString(), member: 'etcd-0', level: 'info', kind: 'leader-elected' as const, message: 'elected leader' }));
  const oldReads = Array.from({ length: 30 }, (_, i) => ({ ts: new Date((WINDOW_START - 3600 + i) * 1000).toISOString(), member: 'etcd-1', level: 'warn', kind: 'expensive-read' as const, message: 'apply request took too long' }));

  it('a log of old events -> counted as outside the window, never judged', () => {
    const r = analyze(snapshot({ logEvents: [...oldElections, ...oldReads], series: [series('slowApplies', 'etcd-1', [[WINDOW_END, 9]])] }));
    expect(r.logsOutsideWindow).toBe(42);
    // slowApplies fires (a metric of the window); the two-year-old reads must not make it "client load".
    expect(r.rootCauses.some((c) => c.id.startsWith('clientLoad') && c.evidence.join(' ').includes('slow range'))).toBe(false);
  });
});

describe('judged values beside the latest', () => {
  it('a warning held earlier in the window shows the level held next to a calm latest value', () => {
    const early = points((t) => (t < 300 ? 0.032 : 0.0054));
    const r = analyze(snapshot({ series: [series('walFsyncP99', 'etcd-1', early)] }));
    expect(r.kpis.find((k) => k.id === 'walFsyncP99' && k.member === 'etcd-1')).toMatchObject({ value: 0.0054, judged: 0.032, status: 'warning' });
  });
});
