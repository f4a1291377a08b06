import type { Finding, RootCause } from '../../schema/index.ts';
import { backendExplanations } from './backend-checks.ts';
import { byRule, cause, fmt, listTypical, peak, presentMembers, typical, type CorrelationContext, type Correlator } from './context.ts';

const WRITE_HEAVY_PER_SECOND = 500;
/** A member whose typical WAL fsync p99 is this many times the others' is an outlier, not a peer. */
const OUTLIER_FACTOR = 3;
/** Symptoms a member's slow disk explains on that member (every write there waits for it). */
const DISK_SYMPTOMS = ['walFsyncLatency', 'backendCommitLatency', 'heartbeatFailures', 'slowApplies', 'grpcSlow', 'pendingProposals', 'applyLag'];
/** Symptoms a slow leader disk explains for the whole cluster. */
const LEADER_DISK_SYMPTOMS = ['leaderChanges', 'proposalFailures', 'slowReadIndexes', 'grpcSlow', 'pendingProposals'];

/**
 * WAL fsync is the device signal: each member fsyncs its own WAL, so slow fsync on some members
 * only -> those members' disks; on every member -> the write load or the storage they share.
 * Backend commit latency alone points at bbolt (size, fragmentation, big transactions), and it
 * keeps the memory of a defrag or compaction for its whole quantile window, so it never decides
 * on its own that a cluster-wide disk is slow.
 */
export const diskCorrelator: Correlator = {
  id: 'disk',
  correlate(ctx) {
    const wal = byRule(ctx, 'walFsyncLatency');
    const commit = byRule(ctx, 'backendCommitLatency');
    const present = presentMembers(ctx);
    const walSlow = members(wal);
    const commitSlow = members(commit);
    if (walSlow.length === 0 && commitSlow.length === 0) return [];

    const outliers = walSlow.length === present.length && present.length > 1 ? walOutliers(ctx, present) : [];
    const slowDisks = outliers.length > 0 ? outliers : walSlow.length < present.length ? walSlow : [];
    const out: RootCause[] = [];
    for (const m of slowDisks) out.push(slowDisk(ctx, m, present.filter((p) => !slowDisks.includes(p))));

    if (walSlow.length === 0) {
      // The device keeps up everywhere; bbolt, or what runs beside it, does not.
      if (commitSlow.length < present.length || present.length === 1) for (const m of commitSlow) out.push(slowBackend(ctx, [m], commit, 0));
      else out.push(slowBackend(ctx, commitSlow, commit, 0));
      return out;
    }
    for (const m of commitSlow.filter((c) => !walSlow.includes(c))) out.push(slowBackend(ctx, [m], commit, -0.1));
    if (slowDisks.length === 0) out.push(clusterWide(ctx, present, wal, commit));
    return out;
  },
};

const members = (fs: readonly Finding[]): string[] => [...new Set(fs.map((f) => f.member).filter((m): m is string => m !== null))];

/** Members whose WAL fsync stands far above the rest although every member crossed the line. */
function walOutliers(ctx: CorrelationContext, present: readonly string[]): string[] {
  const t = present.map((m) => [m, typical(ctx.table, 'walFsyncP99', m)] as const).filter((x): x is readonly [string, number] => x[1] !== undefined);
  return t
    .filter(([m, v]) => {
      let others = -Infinity;
      for (const [o, ov] of t) if (o !== m) others = Math.max(others, ov);
      return others > -Infinity && v >= OUTLIER_FACTOR * others;
    })
    .map(([m]) => m);
}

function slowDisk(ctx: CorrelationContext, m: string, others: readonly string[]): RootCause {
  const own = ctx.findings.filter((f) => f.member === m && DISK_SYMPTOMS.includes(f.rule));
  const leaderWide = m === ctx.leader ? ctx.findings.filter((f) => LEADER_DISK_SYMPTOMS.includes(f.rule) && f.member !== m) : [];
  const w = own.find((f) => f.rule === 'walFsyncLatency');
  const c = own.find((f) => f.rule === 'backendCommitLatency');
  const evidence = own.map((f) => f.summary);
  if (others.length) evidence.push(`the other members stay low: WAL fsync p99 ${listTypical(ctx.table, 'walFsyncP99', others, 'seconds')}`);
  let confidence = 0.6 + (w?.severity === 'critical' || c?.severity === 'critical' ? 0.15 : 0) + (w && c ? 0.05 : 0);
  if (own.some((f) => f.rule === 'heartbeatFailures')) confidence += 0.05;
  const logFsync = peak(ctx.table, 'logSlowFdatasync', m);
  if (logFsync) {
    evidence.push(`${logFsync} "slow fdatasync" log line(s) from ${m}`);
    confidence += 0.05;
  }
  const nodeIo = byRule(ctx, 'nodeIowait', 'nodeDiskWriteLatency');
  if (nodeIo.length) {
    evidence.push(...nodeIo.map((f) => f.summary));
    confidence += 0.05;
  }
  if (m === ctx.leader) evidence.push(`${m} is the leader: every write in the cluster waits for its disk${leaderWide.length ? `, which explains ${leaderWide.map((f) => f.summary).join('; ')}` : ''}`);
  return cause({ id: `slowDisk:${m}`, cause: `Slow disk on ${m}${m === ctx.leader ? ' (the leader)' : ''}`, member: m, confidence, subsystem: 'disk', explains: [...own, ...leaderWide], evidence, recommendations: ['fioDiskCheck', 'dedicatedFastDisk', 'checkNoisyNeighbours'] });
}

/**
 * Backend commits slow while the WAL keeps up: whatever holds there (a large or fragmented
 * database, compaction/defragmentation/snapshots, write bursts, contention on the node's disk)
 * is named with its numbers, and the confidence grows with how many hold.
 */
function slowBackend(ctx: CorrelationContext, who: readonly string[], commit: readonly Finding[], adjust: number): RootCause {
  const explains = commit.filter((f) => f.member !== null && who.includes(f.member));
  const checks = backendExplanations(ctx, who);
  const holding = checks.filter((c) => c.holds);
  const evidence = [
    ...explains.map((f) => f.summary),
    `WAL fsync stays within target on ${who.length === 1 ? who[0] : 'every member'} (${listTypical(ctx.table, 'walFsyncP99', who, 'seconds')}): the device keeps up, bbolt commits do not`,
    ...checks.map((c) => `${c.holds ? 'holds' : 'does not hold'}: ${c.evidence}`),
  ];
  const best = holding[0];
  const where = who.length === 1 ? ` on ${who[0]}` : ' on every member';
  const text = best ? `Slow backend commits${where}: ${best.cause}` : `Slow backend commits${where}: none of the usual explanations holds (see the checks)`;
  const confidence = (holding.length === 0 ? 0.25 : 0.35 + 0.15 * holding.length) + adjust;
  const id = `slowBackend${who.length === 1 ? `:${who[0]}` : ''}`;
  return cause({
    id,
    cause: text,
    member: who.length === 1 ? (who[0] as string) : null,
    clusterWideBecause: `backend commits are slow on all ${who.length} members while their WAL keeps up`,
    confidence,
    subsystem: best?.subsystem ?? 'database',
    explains,
    evidence,
    recommendations: best?.recommendations ?? ['fioDiskCheck', 'checkNoisyNeighbours', 'reduceClientLoad'],
  });
}

function clusterWide(ctx: CorrelationContext, present: readonly string[], wal: readonly Finding[], commit: readonly Finding[]): RootCause {
  let commitRate = 0;
  for (const m of present) commitRate = Math.max(commitRate, peak(ctx.table, 'proposalsCommittedRate', m) ?? 0);
  const explains = [...wal, ...commit];
  const evidence = explains.map((f) => f.summary);
  evidence.push(`no member stands out: WAL fsync p99 ${listTypical(ctx.table, 'walFsyncP99', present, 'seconds')} (an outlier would be ${OUTLIER_FACTOR}x the others)`);
  if (commitRate >= WRITE_HEAVY_PER_SECOND) {
    evidence.push(`commit rate peaks at ${fmt(commitRate, 'perSecond')}: a heavy write load`);
    return cause({ id: 'writeLoad', cause: 'Write load exceeds what the storage sustains on every member', member: null, clusterWideBecause: `all ${present.length} members fsync slowly under the same write load`, confidence: 0.6, subsystem: 'disk', explains, evidence, recommendations: ['reduceClientLoad', 'dedicatedFastDisk', 'fioDiskCheck'] });
  }
  const nodeIo = byRule(ctx, 'nodeIowait', 'nodeDiskWriteLatency');
  evidence.push(...nodeIo.map((f) => f.summary));
  evidence.push(`all ${present.length} members are slow at a moderate commit rate (${fmt(commitRate, 'perSecond')}): the storage itself, or storage they share`);
  return cause({ id: 'sharedStorage', cause: 'Slow or shared storage under every member', member: null, clusterWideBecause: `every member's WAL fsync is slow and none stands out`, confidence: 0.65 + (nodeIo.length ? 0.1 : 0), subsystem: 'disk', explains, evidence, recommendations: ['fioDiskCheck', 'dedicatedFastDisk', 'checkNoisyNeighbours'] });
}
