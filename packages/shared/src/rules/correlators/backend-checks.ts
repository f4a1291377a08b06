import type { Subsystem } from '../../schema/index.ts';
import { byRule, fmt, peak, typical, type CorrelationContext } from './context.ts';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
/**
 * bbolt commits grow slow with the tree (more pages per transaction) and with the freelist it
 * writes on every commit, which fragmentation inflates. Below these sizes neither is the reason.
 */
const LARGE_DB_BYTES = GIB;
const FRAGMENTED_PERCENT = 30;
const FRAGMENTED_MIN_BYTES = 256 * MIB;
/** A write burst: the peak commit rate is at least this many times the typical one, and busy. */
const BURST_FACTOR = 2;
const BURST_MIN_PER_SECOND = 100;
const WRITE_HEAVY_PER_SECOND = 500;

export interface BackendCheck {
  readonly holds: boolean;
  /** The cause as it reads when this check is the best explanation. */
  readonly cause: string;
  /** The numbers the check looked at, whether it holds or not. */
  readonly evidence: string;
  readonly subsystem: Subsystem;
  readonly recommendations: readonly string[];
}

function worst(ctx: CorrelationContext, signal: string, who: readonly string[], f: typeof typical): { m: string; v: number } | undefined {
  let best: { m: string; v: number } | undefined;
  for (const m of who) {
    const v = f(ctx.table, signal, m);
    if (v !== undefined && (!best || v > best.v)) best = { m, v };
  }
  return best;
}

function sizeCheck(ctx: CorrelationContext, who: readonly string[]): BackendCheck {
  const size = worst(ctx, 'dbSize', who, typical);
  const frag = worst(ctx, 'dbFragmentationPercent', who, typical);
  const large = size !== undefined && size.v >= LARGE_DB_BYTES;
  const fragmented = size !== undefined && frag !== undefined && frag.v >= FRAGMENTED_PERCENT && size.v >= FRAGMENTED_MIN_BYTES;
  const numbers = size ? `DB ${fmt(size.v, 'bytes')} on ${size.m}${frag ? `, ${fmt(frag.v, 'percent')} of it reclaimable` : ''}` : 'DB size unknown';
  const why = large || fragmented ? '' : size ? ` (below ${fmt(LARGE_DB_BYTES, 'bytes')}, or below ${FRAGMENTED_PERCENT} % free at ${fmt(FRAGMENTED_MIN_BYTES, 'bytes')}: too small for bbolt itself to be slow)` : '';
  return { holds: large || fragmented, cause: large ? 'a large database' : 'a fragmented database', evidence: `${numbers}${why}`, subsystem: 'database', recommendations: large ? ['findLargeResources', 'compactAndDefrag'] : ['defragment', 'findLargeResources'] };
}

function maintenanceCheck(ctx: CorrelationContext, who: readonly string[]): BackendCheck {
  const seen: string[] = [];
  for (const m of who) {
    const defrags = peak(ctx.table, 'defrags', m) ?? 0;
    const compaction = peak(ctx.table, 'compactionTimeRate', m) ?? 0;
    const snapshot = peak(ctx.table, 'snapshotSaveTimeRate', m) ?? 0;
    const logCompactions = peak(ctx.table, 'logCompactions', m) ?? 0;
    if (defrags > 0) seen.push(`${fmt(defrags, 'count')} defragmentation(s) on ${m}`);
    if (compaction > 0 || logCompactions > 0) seen.push(`compaction on ${m}${compaction > 0 ? ` (up to ${fmt(compaction * 100, 'percent')} of its time)` : ''}`);
    if (snapshot > 0) seen.push(`raft snapshots saved on ${m}`);
  }
  return { holds: seen.length > 0, cause: 'compaction, defragmentation or snapshots in the window', evidence: seen.length ? `maintenance in the window: ${seen.join(', ')}` : 'no compaction, defragmentation or snapshot in the window', subsystem: 'database', recommendations: ['defragment', 'findLargeResources'] };
}

function burstCheck(ctx: CorrelationContext, who: readonly string[]): BackendCheck {
  const p = worst(ctx, 'proposalsCommittedRate', who, peak);
  const t = p ? typical(ctx.table, 'proposalsCommittedRate', p.m) : undefined;
  const holds = p !== undefined && t !== undefined && (p.v >= WRITE_HEAVY_PER_SECOND || (p.v >= BURST_MIN_PER_SECOND && p.v >= BURST_FACTOR * t));
  const evidence = p && t !== undefined ? `commit rate on ${p.m} peaks at ${fmt(p.v, 'perSecond')}, typically ${fmt(t, 'perSecond')}` : 'commit rate unknown';
  return { holds, cause: 'write bursts', evidence, subsystem: 'disk', recommendations: ['reduceClientLoad', 'dedicatedFastDisk'] };
}

function contentionCheck(ctx: CorrelationContext): BackendCheck {
  const io = byRule(ctx, 'nodeDiskWriteLatency', 'nodeIowait');
  const latencies = ctx.nodes.map((n) => [n, typical(ctx.table, 'nodeDiskWriteLatency', n)] as const).filter((x): x is readonly [string, number] => x[1] !== undefined);
  const numbers = latencies.length ? `node disk write latency ${latencies.map(([n, v]) => `${n} ${fmt(v, 'seconds')}`).join(', ')}` : 'no node disk latency measured';
  return { holds: io.length > 0, cause: 'contention on the node\'s disk', evidence: io.length ? io.map((f) => f.summary).join('; ') : numbers, subsystem: 'disk', recommendations: ['checkNoisyNeighbours', 'dedicatedFastDisk', 'fioDiskCheck'] };
}

/** Every usual explanation of slow bbolt commits, in order of how directly it explains them. */
export function backendExplanations(ctx: CorrelationContext, who: readonly string[]): BackendCheck[] {
  return [sizeCheck(ctx, who), maintenanceCheck(ctx, who), burstCheck(ctx, who), contentionCheck(ctx)];
}
