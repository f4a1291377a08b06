import type { ClusterSnapshot } from '../schema/index.ts';

export type Point = readonly [number, number];

export interface SignalData {
  readonly entity: string;
  readonly scope: 'member' | 'node' | 'cluster';
  readonly unit: string;
  readonly points: readonly Point[];
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
};

/**
 * Builds the table rules read. Derived signals (cluster membership, quorum, alarms, log event
 * counts) are computed here so that rules stay records over signals.
 */
export function buildSignals(snapshot: ClusterSnapshot, expectedMembers?: number): SignalTable {
  const table = new Map<string, Map<string, SignalData>>();
  const put = (signal: string, d: SignalData): void => {
    const m = table.get(signal) ?? new Map<string, SignalData>();
    m.set(d.entity, d);
    table.set(signal, m);
  };
  for (const s of snapshot.series) put(s.metric, { entity: s.entity, scope: s.scope, unit: s.unit, points: s.points });

  const end = Date.parse(snapshot.window.end) / 1000;
  const cluster = (signal: string, value: number, unit: string): void => put(signal, { entity: 'cluster', scope: 'cluster', unit, points: [[end, value]] });

  const statusMembers = snapshot.status?.members.length ?? 0;
  const known = Math.max(snapshot.members.length, statusMembers, expectedMembers ?? 0);
  if (known > 0) {
    const unhealthyEndpoints = snapshot.status?.endpoints.filter((e) => !e.healthy).length ?? 0;
    // Prefer what the metrics saw; without a metric source, etcd's own health answers.
    const missing = snapshot.members.length > 0 ? snapshot.members.filter((m) => !m.present).length + Math.max(0, known - snapshot.members.length) : unhealthyEndpoints;
    cluster('membersMissing', missing, 'count');
    for (const m of snapshot.members) put('memberMissing', { entity: m.name, scope: 'member', unit: 'boolean', points: [[end, m.present ? 0 : 1]] });
    cluster('quorumLost', known - missing < Math.floor(known / 2) + 1 ? 1 : 0, 'boolean');
  }
  if (snapshot.status) {
    cluster('alarmNoSpace', snapshot.status.alarms.some((a) => a.alarm === 'NOSPACE') ? 1 : 0, 'boolean');
  }
  if (snapshot.logEvents.length > 0 || snapshot.problems.every((p) => p.source !== 'logs')) {
    const counts = new Map<string, Map<string, number>>();
    for (const e of snapshot.logEvents) {
      const signal = LOG_SIGNALS[e.kind];
      if (!signal) continue;
      const member = e.member ?? 'unknown';
      const m = counts.get(signal) ?? new Map<string, number>();
      m.set(member, (m.get(member) ?? 0) + 1);
      counts.set(signal, m);
    }
    for (const [signal, m] of counts) for (const [member, n] of m) put(signal, { entity: member, scope: 'member', unit: 'count', points: [[end, n]] });
  }
  return table;
}

export function lastValue(table: SignalTable, signal: string, entity: string): number | undefined {
  const pts = table.get(signal)?.get(entity)?.points;
  return pts && pts.length ? (pts[pts.length - 1] as Point)[1] : undefined;
}
