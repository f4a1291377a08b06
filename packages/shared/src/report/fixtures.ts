/**
 * Report fixtures for renderer tests: a realistic critical report (three members, the leader's
 * WAL fsync far over target, ranked root causes, 121-point charts) and an "unknown" report with
 * no data at all. Deterministic: the noise comes from a seeded generator, not Math.random.
 */
import { REPORT_SCHEMA_VERSION, type Chart, type Recommendation, type Report } from '../schema/index.ts';

const START = Date.UTC(2025, 4, 12, 9, 0, 0) / 1000;
const STEP = 15;
const POINTS = 121;
const MIB = 1024 * 1024;
const MEMBERS = ['etcd-0', 'etcd-1', 'etcd-2'] as const;
const SLOW = 'etcd-1';

/** Park–Miller: small, seedable, good enough for plausible jitter. */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

function series(seed: number, value: (i: number, r: number) => number): Array<[number, number]> {
  const rnd = noise(seed);
  return Array.from({ length: POINTS }, (_, i) => [START + i * STEP, value(i, rnd())] as [number, number]);
}

function chart(metric: string, title: string, unit: string, threshold: number | null, value: (member: string, i: number, r: number) => number): Chart {
  return {
    metric,
    title,
    unit,
    threshold,
    series: MEMBERS.map((m, k) => ({ member: m, points: series(7 + k * 13 + metric.length, (i, r) => value(m, i, r)) })),
  };
}

const iso = (t: number): string => new Date(t * 1000).toISOString();
const END = START + (POINTS - 1) * STEP;
const WINDOW = { start: iso(START), end: iso(END) };

const FIO: Recommendation = {
  priority: 1,
  category: 'disk',
  action: `Measure the etcd data disk of ${SLOW} with fio the way etcd writes (small sequential writes, fdatasync after each)`,
  rationale: 'etcd needs the 99th percentile of fdatasync under 10 ms; fio shows whether the device can do it at all.',
  command: 'fio --rw=write --ioengine=sync --fdatasync=1 --directory=/var/lib/etcd/fio-test --size=22m --bs=2300 --name=etcd-disk-check',
};
const DEDICATED: Recommendation = {
  priority: 2,
  category: 'disk',
  action: `Move the etcd data directory of ${SLOW} to a dedicated local NVMe/SSD with guaranteed IOPS`,
  rationale: 'Network block storage typically cannot hold a 10 ms fsync p99; sharing the device with other workloads adds queueing.',
  command: 'lsblk -o NAME,ROTA,MODEL,MOUNTPOINT; findmnt /var/lib/etcd',
};
const NEIGHBOURS: Recommendation = {
  priority: 3,
  category: 'disk',
  action: `Look for other I/O on the node of ${SLOW}: image pulls, logging, other databases on the same device`,
  rationale: "etcd's fsyncs queue behind other writers on a shared device.",
  command: 'iostat -xz 2 5; iotop -obP -d 2',
};

/** The leader's disk is slow: WAL fsync p99 ~60 ms (critical), backend commit ~40 ms (warning). */
export function buildFixtureReport(): Report {
  const slowWal = (m: string, i: number, r: number): number => (m === SLOW ? 0.055 + 0.015 * Math.sin(i / 9) + 0.012 * r : 0.0018 + 0.0008 * r);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: 'rep-20250512-0930-7f3a',
    generatedAt: iso(END + 4),
    cluster: 'prod-east-1',
    source: 'prometheus',
    window: WINDOW,
    status: 'critical',
    score: 58,
    grade: 'F',
    headline: `etcd is a bottleneck: slow disk on ${SLOW} (the leader) (WAL fsync p99 on ${SLOW} held 61.3 ms for 30m (threshold 10.0 ms)).`,
    members: [
      { name: 'etcd-0', present: true, leader: false },
      { name: SLOW, present: true, leader: true },
      { name: 'etcd-2', present: true, leader: false },
    ],
    subsystems: [
      { name: 'disk', score: 45, status: 'critical', summary: '1 critical, 1 warning finding(s)' },
      { name: 'consensus', score: 85, status: 'warning', summary: '0 critical, 1 warning finding(s)' },
      { name: 'network', score: 100, status: 'healthy', summary: 'no finding' },
      { name: 'database', score: 100, status: 'healthy', summary: 'no finding' },
      { name: 'resources', score: 100, status: 'healthy', summary: 'no finding' },
    ],
    kpis: [
      ...MEMBERS.map((m) => ({ id: 'walFsyncP99', label: 'WAL fsync p99', member: m, value: m === SLOW ? 0.0583 : m === 'etcd-0' ? 0.0021 : 0.0019, unit: 'seconds', threshold: 0.01, status: m === SLOW ? ('critical' as const) : ('healthy' as const), ...(m === SLOW ? { judged: 0.0613, judgedBasis: 'held for 1800 s (needs 60 s)' } : {}) })),
      ...MEMBERS.map((m) => ({ id: 'backendCommitP99', label: 'Backend commit p99', member: m, value: m === SLOW ? 0.0402 : 0.0048, unit: 'seconds', threshold: 0.025, status: m === SLOW ? ('warning' as const) : ('healthy' as const), ...(m === SLOW ? { judged: 0.0402, judgedBasis: 'held for 1440 s (needs 60 s)' } : {}) })),
      ...MEMBERS.map((m) => ({ id: 'peerRttP99', label: 'Peer RTT p99', member: m, value: 0.0011 + MEMBERS.indexOf(m) * 0.0002, unit: 'seconds', threshold: 0.05, status: 'healthy' as const })),
      { id: 'leaderChanges', label: 'Leader changes in window', member: null, value: 1, unit: 'count', threshold: 2, status: 'healthy' },
      { id: 'dbSize', label: 'DB size', member: SLOW, value: 412 * MIB, unit: 'bytes', threshold: 6 * 1024 * MIB, status: 'healthy' },
      { id: 'dbQuotaUsed', label: 'DB quota used', member: SLOW, value: 5.03, unit: 'percent', threshold: 80, status: 'healthy' },
      { id: 'etcdCpu', label: 'etcd CPU (100 % = 1 core)', member: SLOW, value: 38.5, unit: 'percent', threshold: 150, status: 'healthy' },
      { id: 'nodeIowait', label: 'Node I/O wait', member: null, value: null, unit: 'percent', threshold: 10, status: 'unknown' },
      { id: 'nodeCpu', label: 'Node CPU', member: 'node-b', value: 78.2, unit: 'percent', threshold: 70, status: 'warning', judged: 74.9, judgedBasis: 'held for 600 s (needs 120 s)', risk: true },
    ],
    coverage: {
      complete: true,
      signals: ['hasLeader', 'walFsyncP99', 'backendCommitP99', 'peerRttP99', 'proposalsCommittedRate', 'proposalsFailedRate', 'dbQuotaUsedPercent'],
      members: MEMBERS.map((m) => ({ member: m, down: false, present: 7, expected: 7, missing: [], partial: [], span: 1 })),
      summary: 'every core signal present for 3 member(s)',
    },
    risks: [
      {
        id: 'nodeCpu:node-b', rule: 'nodeCpu', role: 'risk', severity: 'warning', category: 'cpu', subsystem: 'resources', member: 'node-b',
        summary: 'CPU on node node-b held 74.9 % for 10 min (threshold 70.0 %)',
        evidence: [{ metric: 'nodeCpuPercent', member: 'node-b', value: 74.9, unit: 'percent', threshold: 70, basis: 'held for 600 s (needs 120 s)', window: WINDOW }],
      },
    ],
    findings: [
      {
        id: `walFsyncLatency:${SLOW}`, rule: 'walFsyncLatency', role: 'symptom', severity: 'critical', category: 'disk', subsystem: 'disk', member: SLOW,
        summary: `WAL fsync p99 on ${SLOW} held 61.3 ms for 30m (threshold 10.0 ms)`,
        evidence: [{ metric: 'walFsyncP99', member: SLOW, value: 0.0613, unit: 'seconds', threshold: 0.05, basis: 'sustained 30m of 30m', window: WINDOW }],
      },
      {
        id: `backendCommitLatency:${SLOW}`, rule: 'backendCommitLatency', role: 'symptom', severity: 'warning', category: 'disk', subsystem: 'disk', member: SLOW,
        summary: `Backend commit p99 on ${SLOW} held 40.2 ms for 24m (threshold 25.0 ms)`,
        evidence: [{ metric: 'backendCommitP99', member: SLOW, value: 0.0402, unit: 'seconds', threshold: 0.025, basis: 'sustained 24m of 30m', window: WINDOW }],
      },
      {
        id: `heartbeatFailures:${SLOW}`, rule: 'heartbeatFailures', role: 'symptom', severity: 'warning', category: 'consensus', subsystem: 'consensus', member: SLOW,
        summary: `${SLOW} sent 7 heartbeats late during the window (threshold 1)`,
        evidence: [{ metric: 'heartbeatSendFailures', member: SLOW, value: 7, unit: 'count', threshold: 1, basis: 'increase over the window' }],
      },
    ],
    rootCauses: [
      {
        id: `slowDisk:${SLOW}`, cause: `Slow disk on ${SLOW} (the leader)`, member: SLOW, where: `member ${SLOW}`, confidence: 0.85, subsystem: 'disk',
        explains: [`walFsyncLatency:${SLOW}`, `backendCommitLatency:${SLOW}`, `heartbeatFailures:${SLOW}`],
        evidence: [
          `WAL fsync p99 on ${SLOW} held 61.3 ms for 30m (threshold 10.0 ms)`,
          `Backend commit p99 on ${SLOW} held 40.2 ms for 24m (threshold 25.0 ms)`,
          'the other members stay low: WAL fsync p99 etcd-0 2.10 ms, etcd-2 1.90 ms',
          `${SLOW} sent 7 heartbeats late during the window (threshold 1)`,
          `${SLOW} is the leader: every write in the cluster waits for its disk`,
        ],
        recommendations: [FIO, DEDICATED, NEIGHBOURS],
      },
      {
        id: 'leaderUnstable', cause: 'Leadership unstable: one election in the window', member: null, where: 'cluster-wide: an election stops writes on every member', confidence: 0.3, subsystem: 'consensus',
        explains: [`heartbeatFailures:${SLOW}`],
        evidence: ['1 leader change in 30m', `late heartbeats from ${SLOW} can trigger elections when they exceed the election timeout`],
        recommendations: [{ priority: 1, category: 'consensus', action: 'Check the heartbeat interval and election timeout against the disk and network latency', rationale: 'An election timeout below 10x the worst fsync or round-trip makes elections likely.', command: 'ps -o args= -C etcd | tr " " "\\n" | grep -E "heartbeat|election"' }],
      },
    ],
    recommendations: [FIO, DEDICATED, NEIGHBOURS, { priority: 4, category: 'consensus', action: 'Check the heartbeat interval and election timeout against the disk and network latency', rationale: 'An election timeout below 10x the worst fsync or round-trip makes elections likely.', command: 'ps -o args= -C etcd | tr " " "\\n" | grep -E "heartbeat|election"' }],
    problems: [{ source: 'prometheus', kind: 'no-data', message: 'node_exporter metrics not found: node CPU and I/O wait cannot be judged', metric: 'nodeIowaitPercent' }],
    charts: [
      chart('walFsyncP99', 'WAL fsync p99 (5m)', 'seconds', 0.01, slowWal),
      chart('backendCommitP99', 'Backend commit p99 (5m)', 'seconds', 0.025, (m, i, r) => (m === SLOW ? 0.03 + 0.012 * Math.sin(i / 11) + 0.006 * r : 0.004 + 0.0015 * r)),
      chart('peerRttP99', 'Peer round-trip p99 (5m)', 'seconds', 0.05, (m, _i, r) => 0.0009 + MEMBERS.indexOf(m as (typeof MEMBERS)[number]) * 0.0002 + 0.0004 * r),
      chart('leaderChangesRate', 'Leader changes per second (5m)', 'perSecond', null, (_m, i) => (i >= 40 && i < 60 ? 1 / 300 : 0)),
      chart('dbSize', 'DB size', 'bytes', 6 * 1024 * MIB, (m, i) => (400 + i * 0.1 + (m === SLOW ? 0 : 1)) * MIB),
      chart('processCpuPercent', 'etcd CPU (100 % = 1 core)', 'percent', 150, (m, i, r) => (m === SLOW ? 35 : 18) + 6 * r + 4 * Math.sin(i / 15)),
    ],
    baseline: null,
  };
}

/** Nothing could be collected: no members, no charts, only problems. */
export function buildUnknownReport(): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: 'rep-unknown-0001',
    generatedAt: iso(END + 2),
    cluster: 'lab',
    source: 'prometheus',
    window: WINDOW,
    status: 'unknown',
    score: null,
    grade: '?',
    headline: 'Cannot tell whether etcd is the bottleneck: Prometheus at http://127.0.0.1:9090 is unreachable.',
    members: [],
    subsystems: [],
    kpis: [],
    coverage: { complete: false, signals: [], members: [], summary: 'no etcd member was found in the data: nothing to judge' },
    findings: [],
    risks: [],
    rootCauses: [],
    recommendations: [],
    problems: [
      { source: 'prometheus', kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:9090' },
      { source: 'logs', kind: 'no-data', message: 'no etcd log lines in the window', entity: 'etcd-0' },
    ],
    charts: [],
    baseline: null,
  };
}
