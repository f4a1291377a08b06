/**
 * The rule catalog: every threshold of the reference analyzer (seed-parity §C) and every
 * condition of the etcd mixin (field-study §2.1), each as one record with warning and critical
 * levels. Where the reference held three contradictory thresholds for one signal, one is chosen
 * and the rationale says why.
 *
 * Roles: a symptom is etcd itself being slow, unavailable or out of space (request, fsync,
 * commit and peer latencies, quorum, leadership, failed proposals, quota and alarms); symptoms
 * decide the status. A risk is a condition that can cause symptoms (node CPU, memory, iowait,
 * drops, etcd CPU, DB size and fragmentation, descriptors): it ranks causes when a symptom needs
 * explaining and is listed with its numbers otherwise, but never raises the status on its own.
 */
import type { Rule } from './types.ts';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export const RULES: readonly Rule[] = [
  // ── disk ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'walFsyncLatency', title: 'WAL fsync latency', signal: 'walFsyncP99', role: 'symptom', scope: 'member', subsystem: 'disk', category: 'disk',
    direction: 'above', thresholds: { warning: 0.01, critical: 0.05 }, mode: 'sustained', holdFor: '1m', unit: 'seconds',
    summary: 'WAL fsync p99 on {member} held {value} for {held} (threshold {threshold})',
    rationale: 'etcd\'s hardware guidance is a WAL fsync p99 under 10 ms; every write waits for it. At 50 ms a 1-in-100 fsync takes half of the default 100 ms heartbeat interval and leader heartbeats start to slip (the mixin pages only at 1 s).',
    recommendations: ['fioDiskCheck', 'dedicatedFastDisk', 'checkNoisyNeighbours'],
    docsUrl: 'https://etcd.io/docs/v3.5/op-guide/hardware/#disks',
  },
  {
    id: 'backendCommitLatency', title: 'Backend commit latency', signal: 'backendCommitP99', role: 'symptom', scope: 'member', subsystem: 'disk', category: 'disk',
    direction: 'above', thresholds: { warning: 0.025, critical: 0.1 }, mode: 'sustained', holdFor: '1m', unit: 'seconds',
    summary: 'Backend commit p99 on {member} held {value} for {held} (threshold {threshold})',
    rationale: 'Target p99 under 25 ms (reference report, prometheus-operator runbook); etcd itself warns at 100 ms. High commit latency with a healthy WAL fsync points at bbolt (large or fragmented DB), not the disk.',
    recommendations: ['fioDiskCheck', 'defragment', 'dedicatedFastDisk'],
    docsUrl: 'https://etcd.io/docs/v3.5/metrics/',
  },
  {
    id: 'nodeIowait', title: 'Node I/O wait', signal: 'nodeIowaitPercent', role: 'risk', scope: 'node', subsystem: 'disk', category: 'disk',
    direction: 'above', thresholds: { warning: 10, critical: 25 }, mode: 'sustained', holdFor: '2m', unit: 'percent',
    summary: 'I/O wait on node {member} held {value} for {held} (threshold {threshold})',
    rationale: 'CPU time stalled on I/O: above 10 % of all CPUs the node\'s storage is saturated (the reference HTML marks 5/10 % per CPU).',
    recommendations: ['checkNoisyNeighbours', 'dedicatedFastDisk'],
  },
  {
    id: 'nodeDiskWriteLatency', title: 'Node disk write latency', signal: 'nodeDiskWriteLatency', role: 'risk', scope: 'node', subsystem: 'disk', category: 'disk',
    direction: 'above', thresholds: { warning: 0.02, critical: 0.1 }, mode: 'sustained', holdFor: '2m', unit: 'seconds',
    summary: 'Mean disk write time on node {member} held {value} for {held} (threshold {threshold})',
    rationale: 'The cluster-etcd-operator\'s noisy-neighbour check: write time per completed write on the control-plane disks.',
    recommendations: ['checkNoisyNeighbours', 'dedicatedFastDisk'],
  },
  // ── network ────────────────────────────────────────────────────────────────────────────
  {
    id: 'peerRoundTrip', title: 'Peer round-trip time', signal: 'peerRttP99ByPeer', role: 'symptom', fallback: 'peerRttP99', scope: 'member', subsystem: 'network', category: 'network',
    direction: 'above', thresholds: { warning: 0.05, critical: 0.1 }, mode: 'sustained', holdFor: '1m', unit: 'seconds',
    summary: 'Peer RTT p99 from {member}{toPeer} held {value} for {held} (threshold {threshold})',
    rationale: 'Reference thresholds 50/100 ms; the mixin warns at 150 ms. RTT approaching the heartbeat interval makes followers miss heartbeats and call elections.',
    recommendations: ['checkPeerNetwork', 'tuneHeartbeat'],
    docsUrl: 'https://etcd.io/docs/v3.5/tuning/#time-parameters',
  },
  {
    id: 'peerSendFailures', title: 'Peer send failures', signal: 'peerSentFailuresRateByPeer', role: 'symptom', fallback: 'peerSentFailuresRate', scope: 'member', subsystem: 'network', category: 'network',
    direction: 'above', thresholds: { warning: 0.01, critical: 1 }, mode: 'sustained', holdFor: '1m', unit: 'perSecond',
    summary: 'Sends from {member}{toPeer} failed at {value} for {held} (threshold {threshold})',
    rationale: 'The mixin counts a member as down when its peers fail to reach it at more than 0.01/s.',
    recommendations: ['checkPeerNetwork', 'checkMemberDown'],
  },
  {
    id: 'nodeNetworkDrops', title: 'Packet drops', signal: 'nodeNetworkDropsRate', role: 'risk', scope: 'node', subsystem: 'network', category: 'network',
    direction: 'above', thresholds: { warning: 1, critical: 100 }, mode: 'sustained', holdFor: '2m', unit: 'perSecond',
    summary: 'Node {member} dropped {value} packets for {held} (threshold {threshold})',
    rationale: 'Sustained drops on the uplink retransmit raft traffic and inflate peer RTT.',
    recommendations: ['checkPeerNetwork'],
  },
  // ── consensus ──────────────────────────────────────────────────────────────────────────
  {
    id: 'membersDown', title: 'Members down', signal: 'memberMissing', role: 'symptom', scope: 'member', subsystem: 'consensus', category: 'availability',
    direction: 'above', thresholds: { warning: 1, critical: 1 }, mode: 'last', unit: 'boolean',
    summary: '{member} is not reporting at the end of the window',
    rationale: 'The mixin\'s etcdMembersDown is critical: one member less means one failure more ends quorum.',
    recommendations: ['checkMemberDown'],
    docsUrl: 'https://github.com/openshift/runbooks/blob/master/alerts/cluster-etcd-operator/etcdMembersDown.md',
  },
  {
    id: 'insufficientMembers', title: 'Quorum lost', signal: 'quorumLost', role: 'symptom', scope: 'cluster', subsystem: 'consensus', category: 'availability',
    direction: 'above', thresholds: { warning: 1, critical: 1 }, mode: 'last', unit: 'boolean',
    summary: 'Fewer than a quorum of members are up: the cluster cannot accept writes',
    rationale: 'The mixin\'s etcdInsufficientMembers: up members < (members + 1) / 2.',
    recommendations: ['checkMemberDown', 'restoreQuorum'],
  },
  {
    id: 'noLeader', title: 'No leader', signal: 'hasLeader', role: 'symptom', scope: 'member', subsystem: 'consensus', category: 'availability',
    direction: 'below', thresholds: { warning: 0, critical: 0 }, mode: 'sustained', holdFor: '1m', unit: 'boolean',
    summary: '{member} had no leader for {held}',
    rationale: 'The mixin\'s etcdNoLeader (1 m, critical): a member without a leader serves no writes.',
    recommendations: ['checkPeerNetwork', 'checkMemberDown'],
  },
  {
    id: 'leaderChanges', title: 'Leader changes', signal: 'leaderChanges', role: 'symptom', scope: 'cluster', subsystem: 'consensus', category: 'consensus',
    direction: 'above', thresholds: { warning: 2, critical: 4 }, mode: 'window', unit: 'count',
    summary: '{value} leader changes during the window (threshold {threshold})',
    rationale: 'A healthy cluster changes leader only on restarts and upgrades. The mixin warns at 4 changes in 15 minutes; 2 already means repeated elections.',
    recommendations: ['fioDiskCheck', 'checkPeerNetwork', 'checkCpuStarvation'],
  },
  {
    id: 'proposalFailures', title: 'Failed proposals', signal: 'proposalsFailedRate', role: 'symptom', scope: 'member', subsystem: 'consensus', category: 'consensus',
    direction: 'above', thresholds: { warning: 0.01, critical: 5 }, mode: 'sustained', holdFor: '1m', unit: 'perSecond',
    summary: 'Proposals failed on {member} at {value} for {held} (threshold {threshold})',
    rationale: 'Failed proposals come from elections and lost quorum (reference: any failure is a bottleneck; the mixin warns at 5/s).',
    recommendations: ['checkPeerNetwork', 'fioDiskCheck'],
  },
  {
    id: 'pendingProposals', title: 'Pending proposals', signal: 'proposalsPending', role: 'symptom', scope: 'member', subsystem: 'consensus', category: 'consensus',
    direction: 'above', thresholds: { warning: 10, critical: 100 }, mode: 'sustained', holdFor: '1m', unit: 'count',
    summary: '{value} proposals pending on {member} for {held} (threshold {threshold})',
    rationale: 'Reference threshold 10: proposals queue when the leader cannot commit fast enough.',
    recommendations: ['fioDiskCheck', 'reduceClientLoad'],
  },
  {
    id: 'applyLag', title: 'Apply lag', signal: 'proposalApplyLag', role: 'symptom', scope: 'member', subsystem: 'consensus', category: 'consensus',
    direction: 'above', thresholds: { warning: 1000, critical: 5000 }, mode: 'sustained', holdFor: '1m', unit: 'count',
    summary: '{member} lagged {value} committed-but-unapplied entries for {held} (threshold {threshold})',
    rationale: 'etcd\'s metrics guide: the committed-applied gap should stay within a few thousand; a growing gap means expensive requests (heavy ranges, txns) or a slow member.',
    recommendations: ['reduceClientLoad', 'checkCpuStarvation'],
  },
  {
    id: 'slowApplies', title: 'Slow applies', signal: 'slowApplies', role: 'symptom', scope: 'member', subsystem: 'consensus', category: 'consensus',
    direction: 'above', thresholds: { warning: 5, critical: 50 }, mode: 'window', unit: 'count',
    summary: '{value} applies on {member} took longer than etcd\'s warning duration (threshold {threshold})',
    rationale: 'Each is an "apply request took too long" log line (100 ms; 200 ms on OpenShift): CPU starvation, slow disk or expensive requests.',
    recommendations: ['reduceClientLoad', 'checkCpuStarvation', 'fioDiskCheck'],
  },
  {
    id: 'slowReadIndexes', title: 'Slow read indexes', signal: 'slowReadIndexes', role: 'symptom', scope: 'member', subsystem: 'consensus', category: 'consensus',
    direction: 'above', thresholds: { warning: 1, critical: 10 }, mode: 'window', unit: 'count',
    summary: '{value} linearizable reads on {member} waited too long for the leader (threshold {threshold})',
    rationale: '"waiting for ReadIndex response took too long": the leader confirms reads late (network or an overloaded leader).',
    recommendations: ['checkPeerNetwork', 'checkCpuStarvation'],
  },
  {
    id: 'heartbeatFailures', title: 'Late heartbeats', signal: 'heartbeatSendFailures', role: 'symptom', scope: 'member', subsystem: 'consensus', category: 'consensus',
    direction: 'above', thresholds: { warning: 5, critical: 50 }, mode: 'window', unit: 'count',
    summary: 'Leader {member} sent {value} heartbeats late (threshold {threshold})',
    rationale: '"leader failed to send out heartbeat on time; ... likely overloaded from slow disk": the precursor of elections. A couple in a window happen on any busy host (seen in the lab under CPU contention); five mean the leader keeps stalling.',
    recommendations: ['fioDiskCheck', 'checkCpuStarvation'],
  },
  {
    id: 'grpcFailures', title: 'Failed gRPC requests', signal: 'grpcFailedPercent', role: 'symptom', scope: 'member', subsystem: 'consensus', category: 'client',
    direction: 'above', thresholds: { warning: 1, critical: 5 }, mode: 'sustained', holdFor: '2m', unit: 'percent',
    summary: '{value} of unary gRPC requests to {member} failed for {held} (threshold {threshold})',
    rationale: 'The mixin\'s etcdHighNumberOfFailedGRPCRequests (1 % / 5 %), on unary calls only so that normal watch-stream closes do not count (etcd-io/etcd#13147).',
    recommendations: ['checkMemberDown', 'reduceClientLoad'],
  },
  {
    id: 'grpcSlow', title: 'Slow gRPC requests', signal: 'grpcUnaryP99', role: 'symptom', scope: 'member', subsystem: 'consensus', category: 'client',
    direction: 'above', thresholds: { warning: 0.15, critical: 1 }, mode: 'sustained', holdFor: '2m', unit: 'seconds',
    summary: 'Unary gRPC p99 on {member} held {value} for {held} (threshold {threshold})',
    rationale: 'The mixin\'s etcdGRPCRequestsSlow (150 ms upstream, 1 s on OpenShift).',
    recommendations: ['reduceClientLoad', 'fioDiskCheck'],
  },
  // ── database ───────────────────────────────────────────────────────────────────────────
  {
    id: 'dbQuota', title: 'DB quota use', signal: 'dbQuotaUsedPercent', role: 'symptom', scope: 'member', subsystem: 'database', category: 'space',
    direction: 'above', thresholds: { warning: 80, critical: 95 }, mode: 'last', unit: 'percent',
    summary: 'DB on {member} uses {value} of its quota (threshold {threshold})',
    rationale: 'At the quota etcd raises the NOSPACE alarm and refuses writes; the mixin pages at 95 %.',
    recommendations: ['compactAndDefrag', 'raiseQuota', 'findLargeResources'],
    docsUrl: 'https://etcd.io/docs/v3.5/op-guide/maintenance/#space-quota',
  },
  {
    id: 'noSpaceAlarm', title: 'NOSPACE alarm', signal: 'alarmNoSpace', role: 'symptom', scope: 'cluster', subsystem: 'database', category: 'space',
    direction: 'above', thresholds: { warning: 1, critical: 1 }, mode: 'last', unit: 'boolean',
    summary: 'The NOSPACE alarm is raised: etcd accepts only reads and deletes ("database space exceeded")',
    rationale: 'Writes fail until space is reclaimed and the alarm is disarmed.',
    recommendations: ['compactAndDefrag', 'disarmAlarm', 'raiseQuota'],
  },
  {
    id: 'dbSize', title: 'DB size', signal: 'dbSize', role: 'risk', scope: 'member', subsystem: 'database', category: 'space',
    direction: 'above', thresholds: { warning: 6 * GIB, critical: 8 * GIB }, mode: 'last', unit: 'bytes',
    summary: 'DB on {member} is {value} (threshold {threshold})',
    rationale: 'etcd recommends at most 8 GiB; larger DBs slow snapshots, defragmentation and member recovery.',
    recommendations: ['findLargeResources', 'compactAndDefrag'],
  },
  {
    id: 'dbFragmentation', title: 'DB fragmentation', signal: 'dbFragmentationPercent', role: 'risk', scope: 'member', subsystem: 'database', category: 'space',
    direction: 'above', thresholds: { warning: 30, critical: 50 }, mode: 'last', unit: 'percent',
    onlyWhen: { signal: 'dbSize', atLeast: 64 * MIB, why: 'small databases are always partly free; defragmenting them gains nothing' },
    summary: '{value} of the DB file on {member} is free space reclaimable by defragmentation (threshold {threshold})',
    rationale: 'Reference threshold 30 %; the mixin warns when in-use is under half the file. Free pages cost memory (mmap) and snapshot time.',
    recommendations: ['defragment'],
  },
  // ── resources ──────────────────────────────────────────────────────────────────────────
  {
    id: 'nodeCpu', title: 'Node CPU', signal: 'nodeCpuPercent', role: 'risk', scope: 'node', subsystem: 'resources', category: 'cpu',
    direction: 'above', thresholds: { warning: 70, critical: 85 }, mode: 'sustained', holdFor: '2m', unit: 'percent',
    summary: 'CPU on node {member} held {value} for {held} (threshold {threshold})',
    rationale: 'Reference thresholds 70/85 %, measured against the real core count (the reference guessed cores from idle time).',
    recommendations: ['checkCpuStarvation'],
  },
  {
    id: 'etcdCpu', title: 'etcd CPU', signal: 'processCpuPercent', role: 'risk', scope: 'member', subsystem: 'resources', category: 'cpu',
    direction: 'above', thresholds: { warning: 150, critical: 300 }, mode: 'sustained', holdFor: '2m', unit: 'percent',
    summary: 'etcd on {member} used {value} CPU for {held} (threshold {threshold}; 100 % = one core)',
    rationale: 'The reference flags kubepods CPU above 150 %; etcd needing more than a few cores points at client load.',
    recommendations: ['reduceClientLoad', 'checkCpuStarvation'],
  },
  {
    id: 'nodeMemory', title: 'Node memory', signal: 'nodeMemoryUsedPercent', role: 'risk', scope: 'node', subsystem: 'resources', category: 'memory',
    direction: 'above', thresholds: { warning: 70, critical: 85 }, mode: 'sustained', holdFor: '2m', unit: 'percent',
    summary: 'Memory on node {member} held {value} for {held} (threshold {threshold})',
    rationale: 'Reference thresholds 70/85 %. etcd maps its whole DB; memory pressure turns reads into major page faults.',
    recommendations: ['addMemory'],
  },
  {
    id: 'openFds', title: 'Open file descriptors', signal: 'openFdsPercent', role: 'risk', scope: 'member', subsystem: 'resources', category: 'process',
    direction: 'above', thresholds: { warning: 70, critical: 90 }, mode: 'last', unit: 'percent',
    summary: 'etcd on {member} uses {value} of its file descriptor limit (threshold {threshold})',
    rationale: 'fd exhaustion can make etcd panic while creating WAL files (etcd metrics guide).',
    recommendations: ['raiseFdLimit'],
  },
];
