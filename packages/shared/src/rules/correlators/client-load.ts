import { byRule, cause, peak, type Correlator } from './context.ts';

const MANY_EXPENSIVE_READS = 5;

/** Slow applies that the logs show to be range requests -> expensive client reads. */
export const clientLoadCorrelator: Correlator = {
  id: 'clientLoad',
  correlate(ctx) {
    const present = ctx.members.filter((m) => m.present).map((m) => m.name);
    const reads = present.map((m) => ({ m, n: peak(ctx.table, 'logExpensiveReads', m) ?? 0 })).filter((x) => x.n > 0);
    const total = reads.reduce((a, x) => a + x.n, 0);
    const slow = byRule(ctx, 'slowApplies', 'applyLag', 'grpcSlow');
    if (total < MANY_EXPENSIVE_READS && !(total > 0 && slow.length > 0)) return [];
    const evidence = [...slow.map((f) => f.summary), `${total} slow range (read) requests in the logs: ${reads.map((x) => `${x.m} ${x.n}`).join(', ')}`];
    let confidence = 0.5 + (slow.length ? 0.2 : 0) + (total >= 50 ? 0.1 : 0);
    // Reads wait behind a slow WAL too: when they are slow only where the disk is, they are its
    // symptom, not a load of their own.
    const slowDisks = new Set(byRule(ctx, 'walFsyncLatency').map((f) => f.member));
    if (reads.every((x) => slowDisks.has(x.m))) {
      evidence.push(`the slow reads come only from ${reads.map((x) => x.m).join(', ')}, whose WAL fsync is slow: more likely a symptom of that disk`);
      confidence = 0.35;
    }
    return [cause({ id: 'clientLoad', cause: 'Expensive client reads (large ranges) load etcd', member: null, confidence, subsystem: 'consensus', evidence, recommendations: ['reduceClientLoad'] })];
  },
};
