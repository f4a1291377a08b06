import type { Finding } from '../../schema/index.ts';
import { byRule, cause, fmt, presentMembers, typical, type CorrelationContext, type Correlator } from './context.ts';

/** Symptoms a bad link explains besides the RTT and send failures themselves. */
const NETWORK_SYMPTOMS = ['leaderChanges', 'noLeader', 'slowReadIndexes', 'proposalFailures', 'heartbeatFailures'];
/** A member whose all-peers RTT is this many times the others' median is the end of the bad link. */
const STANDOUT_FACTOR = 2;

interface Pair {
  readonly from: string;
  readonly to: string;
  readonly rtt: number | undefined;
}

const arrow = (p: { from: string; to: string }): string => `${p.from} → ${p.to}`;

/** Every measured link with its typical p99 RTT, from the per-peer series. */
function measuredPairs(ctx: CorrelationContext): Pair[] {
  const out: Pair[] = [];
  for (const d of ctx.table.get('peerRttP99ByPeer')?.values() ?? []) {
    if (d.member && d.peer) out.push({ from: d.member, to: d.peer, rtt: typical(ctx.table, 'peerRttP99ByPeer', d.entity) });
  }
  return out;
}

function listPairs(ps: readonly Pair[]): string {
  return ps.map((p) => `${arrow(p)} ${p.rtt === undefined ? 'no data' : fmt(p.rtt, 'seconds')}`).join(', ');
}

/**
 * Localises slow links: each member measures its RTT to every peer (label To). The member that
 * every slow link touches, while links between the others stay fast, is where the network is
 * bad; one slow link alone names both of its ends; slow links everywhere are cluster-wide.
 */
export const networkCorrelator: Correlator = {
  id: 'network',
  correlate(ctx) {
    const rtt = byRule(ctx, 'peerRoundTrip');
    const sends = byRule(ctx, 'peerSendFailures');
    if (rtt.length + sends.length === 0) return [];
    const drops = byRule(ctx, 'nodeNetworkDrops');
    const related = ctx.findings.filter((f) => NETWORK_SYMPTOMS.includes(f.rule));
    const explains = [...rtt, ...sends, ...related];
    const evidence = [...rtt, ...sends].map((f) => f.summary);
    const base = 0.5 + (rtt.length ? 0.1 : 0) + (sends.length ? 0.05 : 0) + (related.length ? 0.15 : 0);
    const tail = [...related.map((f) => f.summary), ...drops.map((f) => f.summary)];
    const slow = [...rtt, ...sends].filter((f): f is Finding & { member: string; peer: string } => f.member !== null && f.peer !== undefined);
    const located = slow.length ? byLinks(ctx, slow) : byStandout(ctx, rtt);
    if (!located) {
      const everyone = presentMembers(ctx);
      return [cause({ id: 'network', cause: 'Slow or lossy network between the members', member: null, clusterWideBecause: slow.length ? 'slow links do not share one member' : `no member's RTT stands out (all-peers p99: ${everyone.map((m) => `${m} ${fmtMaybe(typical(ctx.table, 'peerRttP99', m))}`).join(', ')})`, confidence: base, subsystem: 'network', explains, evidence: [...evidence, ...tail], recommendations: ['checkPeerNetwork', 'tuneHeartbeat'] })];
    }
    return [cause({ ...located, confidence: base + 0.1, subsystem: 'network', explains, evidence: [...evidence, ...located.evidence, ...tail], recommendations: ['checkPeerNetwork', 'tuneHeartbeat'] })];
  },
};

const fmtMaybe = (v: number | undefined): string => (v === undefined ? 'no data' : fmt(v, 'seconds'));

type Located = { id: string; cause: string; member: string | null; clusterWideBecause?: string; evidence: string[] };

function byLinks(ctx: CorrelationContext, slow: ReadonlyArray<{ member: string; peer: string }>): Located | null {
  const slowPairs = [...new Map(slow.map((f) => [`${f.member}>${f.peer}`, { from: f.member, to: f.peer }])).values()];
  const measured = measuredPairs(ctx);
  const rttOf = (p: { from: string; to: string }): number | undefined => measured.find((m) => m.from === p.from && m.to === p.to)?.rtt;
  const withRtt = slowPairs.map((p) => ({ ...p, rtt: rttOf(p) }));
  const ends = [...new Set(slowPairs.flatMap((p) => [p.from, p.to]))];
  const candidates = ends.filter((x) => slowPairs.every((p) => p.from === x || p.to === x));
  const isSlow = (p: Pair): boolean => slowPairs.some((s) => s.from === p.from && s.to === p.to);
  if (candidates.length === 1) {
    const x = candidates[0] as string;
    const fast = measured.filter((p) => p.from !== x && p.to !== x && !isSlow(p));
    const evidence = [`every slow link touches ${x}: ${listPairs(withRtt)}`];
    if (fast.length) evidence.push(`links between the other members stay fast: ${listPairs(fast)}`);
    const inbound = slowPairs.every((p) => p.to === x);
    return { id: `network:${x}`, cause: inbound ? `Slow network to ${x}: its peers reach it slowly` : `Slow network around ${x}: its links to the others are slow`, member: x, evidence };
  }
  if (candidates.length === 2) {
    const [a, b] = candidates as [string, string];
    return { id: `network:${a}-${b}`, cause: `Slow network link between ${a} and ${b}`, member: null, clusterWideBecause: `one link, ${a} ↔ ${b}, is slow; the members on either end share it`, evidence: [`only the link between ${a} and ${b} is slow: ${listPairs(withRtt)}`] };
  }
  return null;
}

/** Without per-peer series: the member whose all-peers RTT stands far above the others'. */
function byStandout(ctx: CorrelationContext, rtt: readonly Finding[]): Located | null {
  const rtts = presentMembers(ctx).map((m) => ({ m, v: typical(ctx.table, 'peerRttP99', m) })).filter((x): x is { m: string; v: number } => x.v !== undefined).sort((a, b) => b.v - a.v);
  const top = rtts[0];
  const others = rtts.slice(1).map((x) => x.v).sort((a, b) => a - b);
  const median = others.length ? (others[Math.floor(others.length / 2)] as number) : undefined;
  if (!top || median === undefined || top.v < STANDOUT_FACTOR * median || !rtt.some((f) => f.member === top.m)) return null;
  return { id: `network:${top.m}`, cause: `Slow network to ${top.m}`, member: top.m, evidence: [`${top.m}'s peer RTT (${fmt(top.v, 'seconds')}) is at least twice the others' (${fmt(median, 'seconds')}); per-peer RTT was not available to name the link`] };
}
