import type { EtcdAlarm, EtcdEndpoint, EtcdMember, EtcdStatus } from '../../schema/index.ts';
import { hostPort, type EtcdEndpointTarget } from './endpoint.ts';
import type { WireAlarmMember, WireMember, WireStatus } from './grpc-client.ts';

/** A uint64 member id (decimal string) as etcdctl prints it: lower-case hex without padding. */
export function idToHex(decimal: string): string {
  try {
    return BigInt(decimal).toString(16);
  } catch {
    return decimal;
  }
}

const num = (s: string | undefined): number | undefined => {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

export function toMember(w: WireMember): EtcdMember {
  return {
    id: w.ID,
    idHex: idToHex(w.ID),
    name: w.name,
    peerUrls: [...w.peerURLs],
    clientUrls: [...w.clientURLs],
    isLearner: w.isLearner,
  };
}

/** The member an endpoint talks to: by the id in its answer, else by matching client URLs. */
export function memberForEndpoint(endpoint: EtcdEndpointTarget, members: readonly EtcdMember[], memberId?: string): EtcdMember | undefined {
  if (memberId) {
    const byId = members.find((m) => m.id === memberId);
    if (byId) return byId;
  }
  return members.find((m) => m.clientUrls.some((u) => hostPort(u) === endpoint.target));
}

/** What one endpoint said (or why it said nothing). */
export interface EndpointProbe {
  readonly endpoint: EtcdEndpointTarget;
  readonly status?: WireStatus;
  readonly statusError?: string;
  readonly healthy: boolean;
  readonly healthLatencyMs?: number;
  readonly healthError?: string;
}

export function toEndpoint(p: EndpointProbe, members: readonly EtcdMember[]): EtcdEndpoint {
  const s = p.status;
  const memberId = s?.header?.member_id && s.header.member_id !== '0' ? s.header.member_id : undefined;
  const member = memberForEndpoint(p.endpoint, members, memberId);
  const error = p.statusError ?? p.healthError;
  const out: EtcdEndpoint = { endpoint: p.endpoint.display, healthy: p.healthy };
  if (memberId ?? member) out.memberId = memberId ?? member?.id;
  if (member?.name) out.memberName = member.name;
  if (p.healthLatencyMs !== undefined) out.healthLatencyMs = Math.round(p.healthLatencyMs * 100) / 100;
  if (error) out.error = error;
  if (s) {
    out.version = s.version;
    const set = (k: 'dbSize' | 'dbSizeInUse' | 'raftTerm' | 'raftIndex' | 'raftAppliedIndex', v: string): void => {
      const n = num(v);
      if (n !== undefined) out[k] = n;
    };
    set('dbSize', s.dbSize);
    set('dbSizeInUse', s.dbSizeInUse);
    set('raftTerm', s.raftTerm);
    set('raftIndex', s.raftIndex);
    set('raftAppliedIndex', s.raftAppliedIndex);
    // 3.6 reports its quota; 0 means an older server that does not say.
    const quota = num(s.dbSizeQuota);
    if (quota) out.dbSizeQuota = quota;
    if (s.leader && s.leader !== '0') out.leaderId = s.leader;
    out.isLearner = s.isLearner;
    if (s.errors.length) out.errors = [...s.errors];
  }
  return out;
}

const ALARM_TYPES = new Set(['NOSPACE', 'CORRUPT', 'NONE']);

export function toAlarms(wire: readonly WireAlarmMember[], members: readonly EtcdMember[]): EtcdAlarm[] {
  return wire
    .filter((a) => a.alarm !== 'NONE' && ALARM_TYPES.has(a.alarm))
    .map((a) => {
      const name = members.find((m) => m.id === a.memberID)?.name;
      return { memberId: a.memberID, ...(name ? { memberName: name } : {}), alarm: a.alarm as EtcdAlarm['alarm'] };
    });
}

/** Leader by majority of the endpoints' own answers; agreement and raft index spread across them. */
export function deriveCluster(endpoints: readonly EtcdEndpoint[], members: readonly EtcdMember[]): Pick<EtcdStatus, 'leader' | 'leaderAgreed' | 'raftIndexSpread'> {
  const answered = endpoints.filter((e) => e.version !== undefined);
  if (!answered.length) return {};
  const votes = new Map<string, number>();
  for (const e of answered) if (e.leaderId) votes.set(e.leaderId, (votes.get(e.leaderId) ?? 0) + 1);
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const leaderId = ranked[0]?.[0];
  const out: Pick<EtcdStatus, 'leader' | 'leaderAgreed' | 'raftIndexSpread'> = {
    // An endpoint without a leader disagrees with one that has one.
    leaderAgreed: votes.size === 1 && answered.every((e) => e.leaderId === leaderId),
  };
  if (leaderId) {
    const name = members.find((m) => m.id === leaderId)?.name;
    out.leader = { id: leaderId, idHex: idToHex(leaderId), ...(name ? { name } : {}) };
  }
  const indexes = answered.map((e) => e.raftIndex).filter((n): n is number => n !== undefined);
  if (indexes.length) out.raftIndexSpread = Math.max(...indexes) - Math.min(...indexes);
  return out;
}
