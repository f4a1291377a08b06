import type { ClusterSnapshot, Coverage, Subsystem } from '../schema/index.ts';
import type { SignalTable } from './signals.ts';

/**
 * The signals without which "healthy" cannot be claimed, per member: leader presence, WAL
 * fsync, backend commit, peer RTT (when there are peers), proposals committed and failed, and
 * DB size against the quota. Each entry is satisfied by any of its signal ids.
 */
export const CORE_SIGNALS: ReadonlyArray<{ readonly id: string; readonly any: readonly string[]; readonly needsPeers?: boolean }> = [
  { id: 'hasLeader', any: ['hasLeader'] },
  { id: 'walFsyncP99', any: ['walFsyncP99'] },
  { id: 'backendCommitP99', any: ['backendCommitP99'] },
  { id: 'peerRttP99', any: ['peerRttP99', 'peerRttP99ByPeer'], needsPeers: true },
  { id: 'proposalsCommittedRate', any: ['proposalsCommittedRate'] },
  { id: 'proposalsFailedRate', any: ['proposalsFailedRate'] },
  { id: 'dbQuotaUsedPercent', any: ['dbQuotaUsedPercent'] },
];

/** Each subsystem is judged from its own signals only: without them it is unknown. */
export const SUBSYSTEM_SIGNALS: Readonly<Record<Subsystem, { readonly all: readonly string[]; readonly scope: 'member' | 'node' | 'either' }>> = {
  disk: { all: ['walFsyncP99', 'backendCommitP99'], scope: 'member' },
  network: { all: ['peerRttP99'], scope: 'member' },
  consensus: { all: ['hasLeader', 'proposalsCommittedRate', 'proposalsFailedRate'], scope: 'member' },
  database: { all: ['dbQuotaUsedPercent'], scope: 'member' },
  resources: { all: ['processCpuPercent', 'nodeCpuPercent'], scope: 'either' },
};

function hasSignal(table: SignalTable, ids: readonly string[], member: string): { has: boolean; first?: number; last?: number } {
  let first: number | undefined;
  let last: number | undefined;
  for (const id of ids) {
    for (const d of table.get(id)?.values() ?? []) {
      if ((d.member ?? d.entity) !== member || d.points.length === 0) continue;
      const a = (d.points[0] as readonly [number, number])[0];
      const b = (d.points[d.points.length - 1] as readonly [number, number])[0];
      first = first === undefined ? a : Math.min(first, a);
      last = last === undefined ? b : Math.max(last, b);
    }
  }
  return first === undefined ? { has: false } : { has: true, first, ...(last !== undefined ? { last } : {}) };
}

/** Catalog metrics whose answer came with warnings: they prove nothing either way. */
function partialMetrics(snapshot: ClusterSnapshot): ReadonlySet<string> {
  const out = new Set<string>();
  for (const p of snapshot.problems) {
    if (p.kind !== 'partial' || p.source !== 'prometheus') continue;
    for (const m of p.metrics ?? (p.metric ? [p.metric] : [])) out.add(m);
  }
  return out;
}

/**
 * Which core signals each member delivered. Complete only when every present member delivered
 * every core signal and no answer was partial; a member that stopped reporting is marked down
 * (its absence is a finding of its own).
 */
export function computeCoverage(snapshot: ClusterSnapshot, table: SignalTable): Coverage {
  const peers = snapshot.members.length > 1 || (snapshot.status?.members.length ?? 0) > 1;
  const core = CORE_SIGNALS.filter((c) => peers || !c.needsPeers);
  const partial = partialMetrics(snapshot);
  const start = Date.parse(snapshot.window.start) / 1000;
  const end = Date.parse(snapshot.window.end) / 1000;
  const members = snapshot.members.map((m) => {
    const missing: string[] = [];
    const part: string[] = [];
    let first = end;
    for (const c of core) {
      const h = hasSignal(table, c.any, m.name);
      if (!h.has) missing.push(c.id);
      else first = Math.min(first, h.first ?? end);
      if (c.any.some((id) => partial.has(id))) part.push(c.id);
    }
    const span = end > start ? Math.max(0, Math.min(1, (end - first) / (end - start))) : 1;
    return { member: m.name, down: !m.present, present: core.length - missing.length, expected: core.length, missing, partial: part, span: Math.round(span * 100) / 100 };
  });
  const up = members.filter((m) => !m.down);
  const complete = up.length > 0 && up.every((m) => m.missing.length === 0 && m.partial.length === 0);
  return { complete, signals: core.map((c) => c.id), members, summary: describe(up, members.length, complete) };
}

function describe(up: Coverage['members'], total: number, complete: boolean): string {
  if (total === 0) return 'no etcd member was found in the data: nothing to judge';
  if (up.length === 0) return 'no member reported at the end of the window';
  if (complete) {
    const short = up.filter((m) => m.span < 0.5);
    return short.length
      ? `every core signal present for ${up.length} member(s); data covers only part of the window for ${short.map((m) => `${m.member} (${Math.round(m.span * 100)} %)`).join(', ')}`
      : `every core signal present for ${up.length} member(s)`;
  }
  const gaps = up.flatMap((m) => [
    ...(m.missing.length ? [`${m.member} lacks ${m.missing.join(', ')}`] : []),
    ...(m.partial.length ? [`${m.member}: partial answers for ${m.partial.join(', ')}`] : []),
  ]);
  return `incomplete: ${gaps.join('; ')}`;
}

/** Members (present) that lack a subsystem's own signals; empty when the subsystem can be judged. */
export function subsystemGaps(subsystem: Subsystem, snapshot: ClusterSnapshot, table: SignalTable): string[] {
  const spec = SUBSYSTEM_SIGNALS[subsystem];
  const present = snapshot.members.filter((m) => m.present).map((m) => m.name);
  if (present.length === 0) return ['no member reported'];
  if (spec.scope === 'either') {
    // Resources: any CPU signal of the members or of their nodes tells something.
    const any = spec.all.some((id) => (table.get(id)?.size ?? 0) > 0);
    return any ? [] : [`no ${spec.all.join(' or ')}`];
  }
  if (subsystem === 'network' && present.length < 2 && (snapshot.status?.members.length ?? 0) < 2) return ['a single member has no peers to measure'];
  const gaps: string[] = [];
  for (const id of spec.all) {
    const ids = id === 'peerRttP99' ? ['peerRttP99', 'peerRttP99ByPeer'] : [id];
    const lacking = present.filter((m) => !hasSignal(table, ids, m).has);
    if (lacking.length) gaps.push(`${id} from ${lacking.length === present.length ? 'every member' : lacking.join(', ')}`);
  }
  return gaps;
}
