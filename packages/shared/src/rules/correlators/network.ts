import { byRule, cause, fmt, typical, type Correlator } from './context.ts';

/** High peer RTT or failing peer sends, made likelier by elections -> the network between members. */
export const networkCorrelator: Correlator = {
  id: 'network',
  correlate(ctx) {
    const rtt = byRule(ctx, 'peerRoundTrip');
    const sends = byRule(ctx, 'peerSendFailures');
    const drops = byRule(ctx, 'nodeNetworkDrops');
    if (rtt.length + sends.length + drops.length === 0) return [];
    const elections = byRule(ctx, 'leaderChanges', 'noLeader', 'slowReadIndexes');
    const present = ctx.members.filter((m) => m.present).map((m) => m.name);
    // The member whose RTT stands out (>= 2x the median of the others) is the likely end of the bad link.
    const rtts = present.map((m) => ({ m, v: typical(ctx.table, 'peerRttP99', m) })).filter((x): x is { m: string; v: number } => x.v !== undefined).sort((a, b) => b.v - a.v);
    const top = rtts[0];
    const others = rtts.slice(1).map((x) => x.v).sort((a, b) => a - b);
    const median = others.length ? (others[Math.floor(others.length / 2)] as number) : undefined;
    const standout = top && median !== undefined && top.v >= 2 * median && rtt.some((f) => f.member === top.m) ? top.m : null;
    const evidence = [...rtt, ...sends, ...drops, ...elections].map((f) => f.summary);
    if (standout && median !== undefined) evidence.push(`${standout}'s peer RTT (${fmt(top!.v, 'seconds')}) is at least twice the others' (${fmt(median, 'seconds')})`);
    const confidence = 0.5 + (rtt.length ? 0.1 : 0) + (sends.length ? 0.05 : 0) + (elections.length ? 0.15 : 0) + (standout ? 0.1 : 0);
    return [cause({ id: standout ? `network:${standout}` : 'network', cause: standout ? `Slow network to ${standout}` : 'Slow or lossy network between the members', member: standout, confidence, subsystem: 'network', evidence, recommendations: ['checkPeerNetwork', 'tuneHeartbeat'] })];
  },
};
