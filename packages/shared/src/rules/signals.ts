import type { ClusterSnapshot } from '../schema/index.ts';

export type Point = readonly [number, number];

export interface SignalData {
  /** Table key: the member, node or "cluster"; for per-peer signals "member>peer". */
  readonly entity: string;
  readonly scope: 'member' | 'node' | 'cluster';
  readonly unit: string;
  readonly points: readonly Point[];
  /** The member a per-peer value belongs to (the entity of a plain member signal). */
  readonly member?: string;
  /** The remote member of a per-peer signal, by name when it could be resolved. */
  readonly peer?: string;
}

/** signal id -> entity -> data. Catalog series plus the derived signals below. */
export type SignalTable = ReadonlyMap<string, ReadonlyMap<string, SignalData>>;

const LOG_SIGNALS: Readonly<Record<string, string>> = {
  'slow-apply': 'logSlowApplies',
  'expensive-read': 'logExpensiveReads',
  'slow-fdatasync': 'logSlowFdatasync',
  'heartbeat-failure': 'logHeartbeatFailures',
  'leader-elected': 'logLeaderElections',
  'slow-read-index': 'logSlowReadIndexes',
  compaction: 'logCompactions',
};

/** etcd prints member ids as lower-case hex without leading zeros (types.ID.String()). */
export function normalizeMemberId(id: string): string {
  const hex = id.trim().toLowerCase().replace(/^0x/, '').replace(/^0+(?=.)/, '');
  return /^[0-9a-f]+$/.test(hex) ? hex : id;
}

/**
 * Member ids (hex) -> member names as the metrics name them. The metrics' own `etcd_server_id`
 * ties an id to the same entity the other series use; etcd's member list is the fallback (its
 * names can differ from pod names, so it only fills ids the metrics left open).
 */
export function memberNamesById(snapshot: ClusterSnapshot): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const s of snapshot.series) {
    const id = s.metric === 'serverId' ? s.labels?.server_id : undefined;
    if (id) names.set(normalizeMemberId(id), s.entity);
  }
  for (const m of snapshot.status?.members ?? []) {
    const id = normalizeMemberId(m.idHex);
    if (!names.has(id) && m.name) names.set(id, m.name);
  }
  return names;
}

/** A peer as people know it: its name, or (only when nothing names it) its id. */
export function peerName(names: ReadonlyMap<string, string>, id: string): string {
  return names.get(normalizeMemberId(id)) ?? `member id ${normalizeMemberId(id)}`;
}

/**
 * Builds the table rules read. Derived signals (cluster membership, quorum, alarms, log event
 * counts) are computed here so that rules stay records over signals. Per-peer series are keyed
 * "member>peer" with the peer resolved to its name. Log events outside the window are left out:
 * they cannot explain what happened inside it.
 */
export function buildSignals(snapshot: ClusterSnapshot, expectedMembers?: number): SignalTable {
  const table = new Map<string, Map<string, SignalData>>();
  const put = (signal: string, d: SignalData): void => {
    const m = table.get(signal) ?? new Map<string, SignalData>();
    m.set(d.entity, d);
    table.set(signal, m);
  };
  const names = memberNamesById(snapshot);
  for (const s of snapshot.series) {
    const to = s.labels?.To;
    if (to !== undefined && s.scope === 'member') {
      const peer = peerName(names, to);
      put(s.metric, { entity: `${s.entity}>${peer}`, scope: s.scope, unit: s.unit, points: s.points, member: s.entity, peer });
    } else put(s.metric, { entity: s.entity, scope: s.scope, unit: s.unit, points: s.points, ...(s.scope === 'member' ? { member: s.entity } : {}) });
  }

  const start = Date.parse(snapshot.window.start);
  const endMs = Date.parse(snapshot.window.end);
  const end = endMs / 1000;
  const cluster = (signal: string, value: number, unit: string): void => put(signal, { entity: 'cluster', scope: 'cluster', unit, points: [[end, value]] });

  const statusMembers = snapshot.status?.members.length ?? 0;
  const known = Math.max(snapshot.members.length, statusMembers, expectedMembers ?? 0);
  if (known > 0) {
    const unhealthyEndpoints = snapshot.status?.endpoints.filter((e) => !e.healthy).length ?? 0;
    // Prefer what the metrics saw; without a metric source, etcd's own health answers.
    const missing = snapshot.members.length > 0 ? snapshot.members.filter((m) => !m.present).length + Math.max(0, known - snapshot.members.length) : unhealthyEndpoints;
    cluster('membersMissing', missing, 'count');
    for (const m of snapshot.members) put('memberMissing', { entity: m.name, scope: 'member', unit: 'boolean', points: [[end, m.present ? 0 : 1]], member: m.name });
    cluster('quorumLost', known - missing < Math.floor(known / 2) + 1 ? 1 : 0, 'boolean');
  }
  if (snapshot.status) {
    cluster('alarmNoSpace', snapshot.status.alarms.some((a) => a.alarm === 'NOSPACE') ? 1 : 0, 'boolean');
  }
  if (snapshot.logEvents.length > 0 || snapshot.problems.every((p) => p.source !== 'logs')) {
    const counts = new Map<string, Map<string, number>>();
    for (const e of snapshot.logEvents) {
      const signal = LOG_SIGNALS[e.kind];
      const t = Date.parse(e.ts);
      if (!signal || !(t >= start && t <= endMs)) continue;
      const member = e.member ?? 'unknown';
      const m = counts.get(signal) ?? new Map<string, number>();
      m.set(member, (m.get(member) ?? 0) + 1);
      counts.set(signal, m);
    }
    for (const [signal, m] of counts) for (const [member, n] of m) put(signal, { entity: member, scope: 'member', unit: 'count', points: [[end, n]], member });
  }
  return table;
}

export function lastValue(table: SignalTable, signal: string, entity: string): number | undefined {
  const pts = table.get(signal)?.get(entity)?.points;
  return pts && pts.length ? (pts[pts.length - 1] as Point)[1] : undefined;
}

/** The rows of a rule's signal, or of its fallback when the signal has none. */
export function signalRows(table: SignalTable, signal: string, fallback?: string): ReadonlyMap<string, SignalData> | undefined {
  const primary = table.get(signal);
  if (primary && primary.size > 0) return primary;
  return fallback ? table.get(fallback) : primary;
}
