import type { Finding, RootCause } from '../../schema/index.ts';
import { byRule, cause, fmt, listTypical, peak, typical, type CorrelationContext, type Correlator } from './context.ts';

const WRITE_HEAVY_PER_SECOND = 500;
/** A member whose typical WAL fsync p99 is this many times the others' is an outlier, not a peer. */
const OUTLIER_FACTOR = 3;

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
    const present = ctx.members.filter((m) => m.present).map((m) => m.name);
    const walSlow = members(wal);
    const commitSlow = members(commit);
    if (walSlow.length === 0 && commitSlow.length === 0) return [];

    const outliers = walSlow.length === present.length && present.length > 1 ? walOutliers(ctx, present) : [];
    const slowDisks = outliers.length > 0 ? outliers : walSlow.length < present.length ? walSlow : [];
    const out: RootCause[] = [];
    for (const m of slowDisks) out.push(slowDisk(ctx, m, wal, commit, present.filter((p) => !slowDisks.includes(p))));

    if (walSlow.length === 0) {
      // The device keeps up everywhere; bbolt does not.
      if (commitSlow.length < present.length) for (const m of commitSlow) out.push(slowBackend(ctx, m, commit, 0.6));
      else out.push(slowBackendEverywhere(ctx, commit));
      return out;
    }
    for (const m of commitSlow.filter((c) => !walSlow.includes(c))) out.push(slowBackend(ctx, m, commit, 0.45));
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
      const others = t.filter(([o]) => o !== m).map(([, ov]) => ov);
      return others.length > 0 && v >= OUTLIER_FACTOR * Math.max(...others);
    })
    .map(([m]) => m);
}

function slowDisk(ctx: CorrelationContext, m: string, wal: readonly Finding[], commit: readonly Finding[], others: readonly string[]): RootCause {
  const w = wal.find((f) => f.member === m);
  const c = commit.find((f) => f.member === m);
  const evidence: string[] = [];
  if (w) evidence.push(w.summary);
  if (c) evidence.push(c.summary);
  if (others.length) evidence.push(`the other members stay low: WAL fsync p99 ${listTypical(ctx.table, 'walFsyncP99', others, 'seconds')}`);
  let confidence = 0.6 + (w?.severity === 'critical' || c?.severity === 'critical' ? 0.15 : 0) + (w && c ? 0.05 : 0);
  const hb = byRule(ctx, 'heartbeatFailures').find((f) => f.member === m);
  if (hb) {
    evidence.push(hb.summary);
    confidence += 0.05;
  }
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
  if (m === ctx.leader) evidence.push(`${m} is the leader: every write in the cluster waits for its disk`);
  return cause({ id: `slowDisk:${m}`, cause: `Slow disk on ${m}${m === ctx.leader ? ' (the leader)' : ''}`, member: m, confidence, subsystem: 'disk', evidence, recommendations: ['fioDiskCheck', 'dedicatedFastDisk', 'checkNoisyNeighbours'] });
}

function slowBackend(ctx: CorrelationContext, m: string, commit: readonly Finding[], confidence: number): RootCause {
  const c = commit.find((f) => f.member === m);
  const evidence = [
    ...(c ? [c.summary] : []),
    `WAL fsync on ${m} is fine (${listTypical(ctx.table, 'walFsyncP99', [m], 'seconds')}), so the device keeps up: bbolt commits are slow (large or fragmented DB, big transactions, or a recent defrag inside the quantile window)`,
  ];
  return cause({ id: `slowBackend:${m}`, cause: `Slow backend commits on ${m}: large or fragmented database`, member: m, confidence, subsystem: 'database', evidence, recommendations: ['defragment', 'findLargeResources', 'fioDiskCheck'] });
}

function slowBackendEverywhere(ctx: CorrelationContext, commit: readonly Finding[]): RootCause {
  const evidence = [...commit.map((f) => f.summary), 'WAL fsync stays within target on every member: the devices keep up, bbolt commits do not'];
  return cause({ id: 'slowBackend', cause: 'Slow backend commits on every member: large or fragmented database, or heavy transactions', member: null, confidence: 0.55, subsystem: 'database', evidence, recommendations: ['defragment', 'findLargeResources', 'reduceClientLoad'] });
}

function clusterWide(ctx: CorrelationContext, present: readonly string[], wal: readonly Finding[], commit: readonly Finding[]): RootCause {
  const commitRate = Math.max(0, ...present.map((m) => peak(ctx.table, 'proposalsCommittedRate', m) ?? 0));
  const evidence = [...wal, ...commit].map((f) => f.summary);
  if (commitRate >= WRITE_HEAVY_PER_SECOND) {
    evidence.push(`commit rate peaks at ${fmt(commitRate, 'perSecond')}: a heavy write load`);
    return cause({ id: 'writeLoad', cause: 'Write load exceeds what the storage sustains on every member', member: null, confidence: 0.6, subsystem: 'disk', evidence, recommendations: ['reduceClientLoad', 'dedicatedFastDisk', 'fioDiskCheck'] });
  }
  const nodeIo = byRule(ctx, 'nodeIowait', 'nodeDiskWriteLatency');
  evidence.push(`all ${present.length} members are slow at a moderate commit rate (${fmt(commitRate, 'perSecond')}): the storage itself, or storage they share`);
  return cause({ id: 'sharedStorage', cause: 'Slow or shared storage under every member', member: null, confidence: 0.65 + (nodeIo.length ? 0.1 : 0), subsystem: 'disk', evidence, recommendations: ['fioDiskCheck', 'dedicatedFastDisk', 'checkNoisyNeighbours'] });
}
