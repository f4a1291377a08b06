import { LabError } from '@etcd-analyzer/shared/errors';
import { bulkPut, dbSizes, leaderUrl, reclaim } from './bulk-write.ts';
import type { FaultDriver } from './types.ts';

export const QUOTA_PREFIX = 'lab/quota/';
const MiB = 1024 * 1024;

/** Large enough to fill quickly, small enough that one round of puts cannot jump the quota. */
export const quotaValueBytes = (quotaBytes: number): number => Math.min(512 * 1024, Math.max(16 * 1024, Math.floor(quotaBytes / 128)));

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const mib = (x: number): string => `${(x / MiB).toFixed(1)} MiB`;

/**
 * Quota: distinct large values until the database reaches `fill` of --quota-backend-bytes. Below
 * 1 it stops short of the quota; at 1 it writes until etcd refuses and raises NOSPACE.
 */
export const quota: FaultDriver = {
  kind: 'quota',
  defaultMember: null,
  async apply(ctx, req) {
    const fill = req.fill ?? 0.9;
    const quotaBytes = ctx.state.quotaBytes;
    if (!quotaBytes) throw new LabError('the quota fault needs a lab started with a quota (lab up --quota-bytes, e.g. 67108864 for 64 MiB); etcd\'s default quota of 2 GiB would take long to fill', { dir: ctx.state.dir });
    const target = fill * quotaBytes;
    const valueBytes = quotaValueBytes(quotaBytes);
    const url = await leaderUrl(ctx.state);
    const largest = async (): Promise<number> => Math.max(0, ...(await dbSizes(ctx.state)).map((s) => s.total));
    ctx.progress(`filling the database to ${pct(fill)} of ${mib(quotaBytes)} with ${valueBytes / 1024} KiB values`);
    let concurrency = 4;
    const r = await bulkPut({
      clientUrl: url,
      prefix: QUOTA_PREFIX,
      valueBytes,
      maxKeys: Math.ceil((quotaBytes * 2) / valueBytes),
      concurrency: () => concurrency,
      done: async () => {
        const size = await largest();
        // Slow down near the target so the last round cannot overshoot into the quota.
        if (fill < 1 && target - size < 4 * valueBytes * 2) concurrency = 1;
        return fill < 1 && size >= target;
      },
      onRound: (n) => n % 40 === 0 && ctx.progress(`${n} values written`),
    });
    const size = await largest();
    if (fill < 1 && r.noSpace) ctx.progress('etcd raised NOSPACE before the target was reached');
    if (fill >= 1 && !r.noSpace) throw new LabError(`wrote ${mib(r.bytes)} without reaching the quota of ${mib(quotaBytes)}`, { dir: ctx.state.dir });
    return {
      processes: [],
      detail: `${r.written} values of ${valueBytes / 1024} KiB under ${QUOTA_PREFIX}: db size ${mib(size)} = ${pct(size / quotaBytes)} of the ${mib(quotaBytes)} quota${r.noSpace ? '; NOSPACE alarm raised' : ''}`,
      restore: {},
    };
  },
  async heal(ctx) {
    await reclaim(ctx.state, QUOTA_PREFIX, ctx.progress);
  },
};
