import { LabError } from '@etcd-analyzer/shared/errors';
import { compact, deletePrefix } from '../etcd-gateway.ts';
import { sleep } from '../processes.ts';
import { bulkPut, dbSizes, leaderUrl, reclaim } from './bulk-write.ts';
import type { FaultDriver } from './types.ts';

export const FRAG_PREFIX = 'lab/frag/';
export const FRAG_VALUE_BYTES = 16 * 1024;
const MiB = 1024 * 1024;
/** The fault aims for in_use/total below this on every member. */
export const FRAG_TARGET_RATIO = 0.5;

/**
 * How much to write so that, once deleted and compacted, free pages outnumber used ones at least
 * 2:1; bounded by the quota (with room to spare) when there is one.
 */
export function fragmentationBytes(inUse: number, total: number, quotaBytes: number | null): number {
  // Large enough to matter: analysis ignores fragmentation of databases under 64 MiB.
  const want = Math.max(3 * inUse, 96 * MiB);
  if (!quotaBytes) return want;
  const room = Math.floor(0.6 * quotaBytes) - total;
  if (room < 2 * inUse) throw new LabError(`the quota (${(quotaBytes / MiB).toFixed(0)} MiB) leaves too little room to fragment a ${(total / MiB).toFixed(1)} MiB database; heal or use a larger --quota-bytes`);
  return Math.min(want, room);
}

/**
 * Fragmentation: write many keys, delete them and compact to the current revision, without
 * defragmenting, so the freed pages stay inside the file (in_use well below total).
 */
export const fragmentation: FaultDriver = {
  kind: 'fragmentation',
  defaultMember: null,
  async apply(ctx) {
    const before = await dbSizes(ctx.state);
    const inUse = Math.max(0, ...before.map((s) => s.inUse ?? s.total));
    const total = Math.max(0, ...before.map((s) => s.total));
    const bytes = fragmentationBytes(inUse, total, ctx.state.quotaBytes);
    const keys = Math.ceil(bytes / FRAG_VALUE_BYTES);
    const url = await leaderUrl(ctx.state);
    ctx.progress(`writing ${keys} keys of ${FRAG_VALUE_BYTES / 1024} KiB (${(bytes / MiB).toFixed(1)} MiB)`);
    const w = await bulkPut({ clientUrl: url, prefix: FRAG_PREFIX, valueBytes: FRAG_VALUE_BYTES, maxKeys: keys, concurrency: 8, onRound: (n) => n % 256 === 0 && ctx.progress(`${n}/${keys} keys written`) });
    if (w.noSpace) throw new LabError('etcd ran out of quota while writing the fragmentation keys; heal, then retry with a larger --quota-bytes');
    const { deleted, revision } = await deletePrefix(url, FRAG_PREFIX);
    await compact(url, revision);
    ctx.progress(`deleted ${deleted} keys and compacted to revision ${revision} (no defragmentation)`);
    // Each member compacts on its own and reports in_use after its next commit.
    let sizes = await dbSizes(ctx.state);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !sizes.every((s) => s.inUse !== null && s.inUse / s.total < FRAG_TARGET_RATIO)) {
      await sleep(500);
      sizes = await dbSizes(ctx.state);
    }
    const ratios = sizes.map((s) => `${s.name} ${s.inUse === null ? 'n/a' : (s.inUse / s.total).toFixed(2)}`).join(', ');
    const reached = sizes.every((s) => s.inUse !== null && s.inUse / s.total < FRAG_TARGET_RATIO);
    return {
      processes: [],
      detail: `${w.written} keys (${(w.bytes / MiB).toFixed(1)} MiB) written, deleted and compacted; in_use/total: ${ratios}${reached ? '' : ` (target ${FRAG_TARGET_RATIO} not reached)`}`,
      restore: {},
    };
  },
  async heal(ctx) {
    await reclaim(ctx.state, null, ctx.progress);
  },
};
