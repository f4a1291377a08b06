import type { RootCause } from '../../schema/index.ts';
import { byRule, cause, fmt, listTypical, peak, type Correlator } from './context.ts';

const WRITE_HEAVY_PER_SECOND = 500;

/**
 * Slow fsync/commit on some members only -> those members' disks; on (nearly) all members ->
 * the write load or the storage they share.
 */
export const diskCorrelator: Correlator = {
  id: 'disk',
  correlate(ctx) {
    const wal = byRule(ctx, 'walFsyncLatency');
    const commit = byRule(ctx, 'backendCommitLatency');
    const present = ctx.members.filter((m) => m.present).map((m) => m.name);
    const slow = [...new Set([...wal, ...commit].map((f) => f.member).filter((m): m is string => m !== null))];
    if (slow.length === 0) return [];
    const healthy = present.filter((m) => !slow.includes(m));
    const nodeIo = byRule(ctx, 'nodeIowait', 'nodeDiskWriteLatency');
    const out: RootCause[] = [];
    if (healthy.length > 0 && slow.length < present.length) {
      for (const m of slow) {
        const w = wal.find((f) => f.member === m);
        const c = commit.find((f) => f.member === m);
        const evidence: string[] = [];
        if (w) evidence.push(w.summary);
        if (c) evidence.push(c.summary);
        evidence.push(`the other members stay low: WAL fsync p99 ${listTypical(ctx.table, 'walFsyncP99', healthy, 'seconds')}`);
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
        if (nodeIo.length) {
          evidence.push(...nodeIo.map((f) => f.summary));
          confidence += 0.05;
        }
        if (m === ctx.leader) evidence.push(`${m} is the leader: every write in the cluster waits for its disk`);
        if (!w && c) {
          // High commit latency with a healthy WAL fsync points at bbolt, not the device.
          evidence.push(`WAL fsync on ${m} is fine, so the device keeps up: bbolt commits are slow (large or fragmented DB)`);
          out.push(cause({ id: `slowBackend:${m}`, cause: `Slow backend commits on ${m}: large or fragmented database`, member: m, confidence: confidence - 0.1, subsystem: 'database', evidence, recommendations: ['defragment', 'findLargeResources', 'fioDiskCheck'] }));
          continue;
        }
        out.push(cause({ id: `slowDisk:${m}`, cause: `Slow disk on ${m}${m === ctx.leader ? ' (the leader)' : ''}`, member: m, confidence, subsystem: 'disk', evidence, recommendations: ['fioDiskCheck', 'dedicatedFastDisk', 'checkNoisyNeighbours'] }));
      }
      return out;
    }
    const commitRate = Math.max(0, ...present.map((m) => peak(ctx.table, 'proposalsCommittedRate', m) ?? 0));
    const evidence = [...wal, ...commit].map((f) => f.summary);
    if (commitRate >= WRITE_HEAVY_PER_SECOND) {
      evidence.push(`commit rate peaks at ${fmt(commitRate, 'perSecond')}: a heavy write load`);
      out.push(cause({ id: 'writeLoad', cause: 'Write load exceeds what the storage sustains on every member', member: null, confidence: 0.6, subsystem: 'disk', evidence, recommendations: ['reduceClientLoad', 'dedicatedFastDisk', 'fioDiskCheck'] }));
    } else {
      evidence.push(`all ${present.length} members are slow at a moderate commit rate (${fmt(commitRate, 'perSecond')}): the storage itself, or storage they share`);
      out.push(cause({ id: 'sharedStorage', cause: 'Slow or shared storage under every member', member: null, confidence: 0.65 + (nodeIo.length ? 0.1 : 0), subsystem: 'disk', evidence, recommendations: ['fioDiskCheck', 'dedicatedFastDisk', 'checkNoisyNeighbours'] }));
    }
    return out;
  },
};
