import { byRule, cause, fmt, peak, presentMembers, type Correlator } from './context.ts';

/**
 * Elections, failed proposals and late heartbeats that no disk or network finding explains: the
 * leader stalls (process pauses, CPU starvation, VM steal) — a consensus cause of its own.
 */
export const leadershipCorrelator: Correlator = {
  id: 'leadership',
  correlate(ctx) {
    const churn = byRule(ctx, 'leaderChanges', 'noLeader');
    if (churn.length === 0) return [];
    const explained = byRule(ctx, 'walFsyncLatency', 'peerRoundTrip', 'peerSendFailures').length > 0;
    const related = byRule(ctx, 'proposalFailures', 'heartbeatFailures', 'slowReadIndexes');
    const evidence = [...churn, ...related].map((f) => f.summary);
    const present = presentMembers(ctx);
    const elections = present.map((m) => ({ m, n: peak(ctx.table, 'logLeaderElections', m) ?? 0 })).filter((x) => x.n > 0);
    if (elections.length) evidence.push(`elections in the logs: ${elections.map((x) => `${x.m} ${x.n}`).join(', ')}`);
    const hb = byRule(ctx, 'heartbeatFailures').map((f) => f.member).filter((m): m is string => m !== null);
    const member = hb.length === 1 ? (hb[0] as string) : null;
    let worst = 0;
    for (const m of present) worst = Math.max(worst, peak(ctx.table, 'leaderChanges', m) ?? 0);
    if (worst > 0) evidence.push(`up to ${fmt(worst, 'count')} leader changes seen by one member`);
    if (explained) evidence.push('a slow disk or network finding is present and explains elections more directly');
    const confidence = explained ? 0.35 : 0.55 + (related.length ? 0.15 : 0) + (churn.some((f) => f.severity === 'critical') ? 0.1 : 0);
    return [cause({
      id: 'leadership',
      cause: member ? `Unstable leadership: ${member} stalls while leading` : 'Unstable leadership: repeated elections',
      member,
      clusterWideBecause: 'an election stops writes on every member, and no single leader is seen stalling',
      confidence,
      subsystem: 'consensus',
      explains: [...churn, ...related],
      evidence,
      recommendations: ['checkCpuStarvation', 'fioDiskCheck', 'checkPeerNetwork'],
    })];
  },
};
