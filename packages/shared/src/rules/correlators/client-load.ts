import { byRule, cause, peak, presentMembers, type Correlator } from './context.ts';

const MANY_EXPENSIVE_READS = 5;
/** Symptoms of requests that cost too much to apply. */
const LOAD_SYMPTOMS = ['slowApplies', 'applyLag', 'grpcSlow', 'pendingProposals'];

/**
 * Slow applies, apply lag or slow requests that the logs show to be range requests -> expensive
 * client reads. The log lines alone are no symptom: etcd logs every read over 100 ms, and a few
 * happen on any busy cluster.
 */
export const clientLoadCorrelator: Correlator = {
  id: 'clientLoad',
  correlate(ctx) {
    const slow = ctx.findings.filter((f) => LOAD_SYMPTOMS.includes(f.rule));
    if (slow.length === 0) return [];
    const reads = presentMembers(ctx).map((m) => ({ m, n: peak(ctx.table, 'logExpensiveReads', m) ?? 0 })).filter((x) => x.n > 0);
    const total = reads.reduce((a, x) => a + x.n, 0);
    const cpu = byRule(ctx, 'etcdCpu');
    if (total === 0 && cpu.length === 0) return [];
    const evidence = [...slow.map((f) => f.summary), ...cpu.map((f) => f.summary)];
    if (total) evidence.push(`${total} slow range (read) requests in the logs: ${reads.map((x) => `${x.m} ${x.n}`).join(', ')}`);
    let confidence = 0.45 + (total >= MANY_EXPENSIVE_READS ? 0.15 : 0) + (total >= 50 ? 0.1 : 0) + (cpu.length ? 0.1 : 0);
    // Reads wait behind a slow WAL too: when they are slow only where the disk is, they are its
    // symptom, not a load of their own.
    const slowDisks = new Set(byRule(ctx, 'walFsyncLatency').map((f) => f.member));
    if (reads.length > 0 && reads.every((x) => slowDisks.has(x.m))) {
      evidence.push(`the slow reads come only from ${reads.map((x) => x.m).join(', ')}, whose WAL fsync is slow: more likely a symptom of that disk`);
      confidence = 0.35;
    }
    const where = [...new Set([...reads.map((x) => x.m), ...slow.map((f) => f.member).filter((m): m is string => m !== null)])];
    const member = where.length === 1 ? (where[0] as string) : null;
    return [cause({
      id: member ? `clientLoad:${member}` : 'clientLoad',
      cause: `Expensive client requests (large ranges) load ${member ?? 'etcd'}`,
      member,
      clusterWideBecause: `clients load ${where.length ? where.join(', ') : 'every member'} alike`,
      confidence,
      subsystem: 'consensus',
      explains: slow,
      evidence,
      recommendations: ['reduceClientLoad'],
    })];
  },
};
