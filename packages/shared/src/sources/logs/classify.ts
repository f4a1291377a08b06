import type { LogEventKind } from '../../schema/index.ts';
import { parseGoDuration } from './duration.ts';
import { ERROR_LEVELS, type EtcdRecord } from './records.ts';

/**
 * Which etcd lines are events, and what they measure. Message strings are etcd's own, from its
 * sources for 3.4 (zap and capnslog), 3.5 and 3.6: server/etcdserver/util.go, raft.go,
 * v3_server.go, apply.go, wal/wal.go, raft/node.go and raft.go, mvcc/kvstore_compaction.go,
 * mvcc/backend/backend.go, rafthttp/probing_status.go and peer.go.
 */
export type Detail = Record<string, string | number | boolean>;

export interface Classified {
  readonly kind: LogEventKind;
  readonly durationMs?: number;
  readonly expectedMs?: number;
  readonly detail?: Detail;
  /** Level to report when the line carries none (journald-wrapped capnslog). */
  readonly level?: string;
}

type Fields = Readonly<Record<string, unknown>>;
type Rule = (msg: string, f: Fields, r: EtcdRecord) => Classified | undefined;

const MAX_DETAIL_CHARS = 300;
/** etcd's warnApplyDuration: the threshold behind every "took too long" apply warning in 3.4. */
const APPLY_WARN_MS = 100;

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > MAX_DETAIL_CHARS ? `${v.slice(0, MAX_DETAIL_CHARS)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Keeps only present, printable values. */
function detail(entries: Record<string, unknown>): Detail | undefined {
  const out: Detail = {};
  for (const [k, v] of Object.entries(entries)) {
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else {
      const s = str(v);
      if (s !== undefined) out[k] = s;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

function withDurations(kind: LogEventKind, durationMs: number | undefined, expectedMs: number | undefined, d: Detail | undefined, level?: string): Classified {
  return { kind, ...(durationMs !== undefined ? { durationMs } : {}), ...(expectedMs !== undefined ? { expectedMs } : {}), ...(d ? { detail: d } : {}), ...(level ? { level } : {}) };
}

const intOf = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));

/** A slow apply of a range (read-only range, or a request that is a RangeRequest) is an expensive read. */
function applyKind(prefix: string | undefined, request: string | undefined): LogEventKind {
  return /range/i.test(prefix ?? '') || /^key:/.test(request ?? '') ? 'expensive-read' : 'slow-apply';
}

/** "range_response_count:1 size:123" -> counts that tell a big read from a slow disk. */
function responseDetail(resp: string | undefined): Detail {
  const m = /range_response_count:(\d+) size:(\d+)/.exec(resp ?? '');
  return m ? { responseCount: Number(m[1]), responseBytes: Number(m[2]) } : {};
}

const unquote = (s: string): string => s.replace(/\\"/g, '"').replace(/\\\\/g, '\\');

const CAPNS_SLOW_REQUEST = /^(.*?)request "(.*)" with result "(.*)" took too long \(([^)]+)\) to execute$/s;
const CAPNS_APPLY_ENTRIES = /^apply entries took too long \[(\S+) for (\d+) entries\]/;
const CAPNS_SYNC = /^sync duration of (\S+), expected less than (\S+)/;
const CAPNS_HEARTBEAT = /^failed to send out heartbeat on time \(exceeded the (\S+) timeout for ([^,)]+)(?:, to ([0-9a-f]+))?\)/;
const CAPNS_COMPACTION = /^finished scheduled compaction at (\d+) \(took ([^)]+)\)/;
const CAPNS_SNAPSHOT = /^snapshotting is taking more than ([\d.]+) seconds to finish transferring ([\d.]+) MB/;
const CAPNS_ALARM = /^alarm (\w+) raised by peer (\S+)/;
const CAPNS_PEER_HEALTH = /^health check for peer (\S+) could not connect: (.*)$/s;
const CAPNS_CLOCK = /^the clock difference against peer (\S+) is too high \[(\S+) > (\S+)\]/;
const CAPNS_BUFFER = /^dropped internal raft message to (\S+) since (?:(\S+)'s )?sending buffer is full/;
const RAFT_ELECTED = /raft\.node: ([0-9a-f]+) elected leader ([0-9a-f]+) at term (\d+)/;
const RAFT_CHANGED = /raft\.node: ([0-9a-f]+) changed leader from ([0-9a-f]+) to ([0-9a-f]+) at term (\d+)/;
const RAFT_LOST = /raft\.node: ([0-9a-f]+) lost leader ([0-9a-f]+) at term (\d+)/;
const RAFT_BECAME = /^([0-9a-f]+) became leader at term (\d+)/;

const RULES: readonly Rule[] = [
  // Slow applies: zap (3.4 --logger=zap, 3.5, 3.6) and capnslog (3.4).
  (msg, f) => {
    if (!msg.startsWith('apply request took too long')) return undefined;
    const prefix = typeof f.prefix === 'string' ? f.prefix.trim() : undefined;
    const request = typeof f.request === 'string' ? f.request : undefined;
    const resp = typeof f.response === 'string' ? f.response : undefined;
    const d = detail({ prefix, request, response: resp, ...responseDetail(resp), error: f.error });
    return withDurations(applyKind(prefix, request), parseGoDuration(f.took), parseGoDuration(f['expected-duration']), d);
  },
  (msg) => {
    const m = CAPNS_SLOW_REQUEST.exec(msg);
    if (!m) return undefined;
    const prefix = (m[1] ?? '').trim();
    const request = unquote(m[2] ?? '');
    const result = unquote(m[3] ?? '');
    const error = result.startsWith('error:') ? result.slice('error:'.length) : undefined;
    const d = detail({ prefix, request, ...(error ? { error } : { response: result, ...responseDetail(result) }) });
    return withDurations(applyKind(prefix, request), parseGoDuration(m[4]), APPLY_WARN_MS, d);
  },
  (msg, f) => {
    if (!msg.startsWith('apply entries took too long')) return undefined;
    const m = CAPNS_APPLY_ENTRIES.exec(msg);
    const entries = intOf(m?.[2]) ?? (typeof f.entries === 'number' ? f.entries : undefined);
    const took = parseGoDuration(m?.[1] ?? f.took);
    // etcd warns when the batch took longer than 100 ms per entry.
    return withDurations('slow-apply', took, entries ? entries * APPLY_WARN_MS : undefined, detail({ entries }));
  },
  // WAL fsync.
  (msg, f) => (msg === 'slow fdatasync' ? withDurations('slow-fdatasync', parseGoDuration(f.took), parseGoDuration(f['expected-duration']), undefined) : undefined),
  (msg) => {
    const m = CAPNS_SYNC.exec(msg);
    return m ? withDurations('slow-fdatasync', parseGoDuration(m[1]), parseGoDuration(m[2]), undefined) : undefined;
  },
  // Heartbeats the leader could not send in time.
  (msg, f) =>
    msg.startsWith('leader failed to send out heartbeat on time')
      ? withDurations('heartbeat-failure', parseGoDuration(f['exceeded-duration']), parseGoDuration(f['expected-duration']), detail({ to: f.to, heartbeatIntervalMs: parseGoDuration(f['heartbeat-interval']) }))
      : undefined,
  (msg) => {
    const m = CAPNS_HEARTBEAT.exec(msg);
    return m ? withDurations('heartbeat-failure', parseGoDuration(m[2]), parseGoDuration(m[1]), detail({ to: m[3], heartbeatIntervalMs: parseGoDuration(m[1]) })) : undefined;
  },
  // Leadership, as the raft library reports it on every member.
  (msg) => {
    const m = RAFT_ELECTED.exec(msg);
    return m ? withDurations('leader-elected', undefined, undefined, detail({ localId: m[1], leaderId: m[2], term: intOf(m[3]) })) : undefined;
  },
  (msg) => {
    const m = RAFT_CHANGED.exec(msg);
    return m ? withDurations('leader-changed', undefined, undefined, detail({ localId: m[1], previousLeaderId: m[2], leaderId: m[3], term: intOf(m[4]) })) : undefined;
  },
  (msg) => {
    const m = RAFT_LOST.exec(msg);
    return m ? withDurations('leader-lost', undefined, undefined, detail({ localId: m[1], previousLeaderId: m[2], term: intOf(m[3]) })) : undefined;
  },
  (msg) => {
    const m = RAFT_BECAME.exec(msg);
    return m ? withDurations('leader-elected', undefined, undefined, detail({ localId: m[1], leaderId: m[1], term: intOf(m[2]), self: true })) : undefined;
  },
  // Compaction: how long the scheduled compaction held the backend.
  (msg, f) =>
    msg === 'finished scheduled compaction'
      ? withDurations(
          'compaction',
          parseGoDuration(f.took),
          undefined,
          detail({ revision: f['compact-revision'], keysCompacted: f['number-of-keys-compacted'], dbSizeBytes: f['current-db-size-bytes'], dbSizeInUseBytes: f['current-db-size-in-use-bytes'] }),
        )
      : undefined,
  (msg) => {
    const m = CAPNS_COMPACTION.exec(msg);
    return m ? withDurations('compaction', parseGoDuration(m[2]), undefined, detail({ revision: intOf(m[1]) })) : undefined;
  },
  // Snapshots to followers that take longer than their size justifies.
  (msg, f) => (msg === 'snapshotting taking too long to transfer' ? withDurations('snapshot-slow', parseGoDuration(f.taking), undefined, detail({ bytes: f.bytes, size: f.size })) : undefined),
  (msg) => {
    const m = CAPNS_SNAPSHOT.exec(msg);
    return m ? withDurations('snapshot-slow', Number(m[1]) * 1000, undefined, detail({ sizeMB: Number(m[2]) })) : undefined;
  },
  // Linearizable reads waiting on the leader.
  (msg, f) =>
    msg.startsWith('waiting for ReadIndex response took too long')
      ? withDurations('slow-read-index', undefined, undefined, detail({ retryTimeoutMs: parseGoDuration(f['retry-timeout']) }))
      : undefined,
  // Read indexes queueing up behind the leader (the ids it logs exceed JSON's exact integers).
  (msg) => (msg.startsWith('ignored out-of-date read index response') ? withDurations('slow-read-index', undefined, undefined, undefined) : undefined),
  (msg, f) =>
    msg.startsWith('timed out waiting for read index response')
      ? withDurations('request-timeout', parseGoDuration(f.timeout), undefined, detail({ reason: 'read-index' }))
      : undefined,
  // Alarms: NOSPACE is the quota; CORRUPT is rare and grave, so it is kept as an error.
  (msg, f) => {
    const m = CAPNS_ALARM.exec(msg);
    const alarm = m ? m[1] : msg === 'alarm raised' ? str(f.alarm) : undefined;
    if (!alarm) return undefined;
    const d = detail({ alarm, from: m ? m[2] : f.from });
    return alarm === 'NOSPACE' ? withDurations('db-space-exceeded', undefined, undefined, d) : withDurations('error', undefined, undefined, d, 'error');
  },
  // Peers: the prober's view of the network.
  (msg, f) =>
    msg === 'prober detected unhealthy status'
      ? withDurations('peer-unhealthy', undefined, undefined, detail({ peerId: f['remote-peer-id'], roundTripper: f['round-tripper-name'], rttMs: parseGoDuration(f.rtt), error: f.error }))
      : undefined,
  (msg) => {
    const m = CAPNS_PEER_HEALTH.exec(msg);
    return m ? withDurations('peer-unhealthy', undefined, undefined, detail({ peerId: m[1], error: m[2] })) : undefined;
  },
  (msg, f) => {
    if (msg !== 'prober found high clock drift') return undefined;
    // Some 3.4/3.5 releases swapped the two fields; the drift is the larger one (it exceeds 1 s).
    const a = parseGoDuration(f['clock-drift']);
    const b = parseGoDuration(f.rtt);
    const drift = a !== undefined && b !== undefined ? Math.max(a, b) : (a ?? b);
    return withDurations('clock-skew', drift, 1000, detail({ peerId: f['remote-peer-id'], roundTripper: f['round-tripper-name'] }));
  },
  (msg) => {
    const m = CAPNS_CLOCK.exec(msg);
    return m ? withDurations('clock-skew', parseGoDuration(m[2]), parseGoDuration(m[3]), detail({ peerId: m[1] })) : undefined;
  },
  (msg, f) => {
    const m = CAPNS_BUFFER.exec(msg);
    if (m) return withDurations('sending-buffer-full', undefined, undefined, detail({ peerId: m[1], stream: m[2] }));
    return msg.includes('sending buffer is full')
      ? withDurations('sending-buffer-full', undefined, undefined, detail({ peerId: f['remote-peer-id'], messageType: f['message-type'], peerActive: f['remote-peer-active'] }))
      : undefined;
  },
  // Symptoms that can appear in any message or error field. The server itself says "exceeded
  // backend quota" when it raises NOSPACE and "etcdserver: no space" for each write refused after.
  (msg, f) => (/database space exceeded|exceeded backend quota|etcdserver: no space/.test(`${msg} ${str(f.error) ?? ''}`) ? withDurations('db-space-exceeded', undefined, undefined, detail({ error: f.error })) : undefined),
  (msg, f) => (/request timed out/.test(`${msg} ${str(f.error) ?? ''}`) ? withDurations('request-timeout', undefined, undefined, detail({ error: f.error })) : undefined),
  (_msg, f, r) => (r.level && ERROR_LEVELS.has(r.level) ? withDurations('error', undefined, undefined, detail({ error: f.error, caller: f.caller })) : undefined),
];

/** The event a record stands for, or undefined for an ordinary line. */
export function classify(r: EtcdRecord): Classified | undefined {
  for (const rule of RULES) {
    const c = rule(r.msg, r.fields, r);
    if (c) return c;
  }
  return undefined;
}

/** What a record reveals about which member wrote the log. */
export interface MemberHint {
  readonly name?: string;
  readonly idHex?: string;
}

const ATTR_NAME = /\{Name:(\S+) ClientURLs:/;

export function memberHint(r: EtcdRecord): MemberHint | undefined {
  const f = r.fields;
  if (r.msg === 'starting an etcd server' && typeof f.name === 'string' && f.name) return { name: f.name };
  const attrs = typeof f['local-member-attributes'] === 'string' ? ATTR_NAME.exec(f['local-member-attributes']) : null;
  if (attrs) return { name: attrs[1] as string, ...(typeof f['local-member-id'] === 'string' ? { idHex: f['local-member-id'] } : {}) };
  let m: RegExpExecArray | null;
  if (r.format === 'capnslog' && (m = /^name = (\S+)$/.exec(r.msg))) return { name: m[1] as string };
  if (r.format === 'capnslog' && (m = /^published \{Name:(\S+) ClientURLs:/.exec(r.msg))) return { name: m[1] as string };
  if ((m = /^starting member ([0-9a-f]+) in cluster/.exec(r.msg))) return { idHex: m[1] as string };
  if (typeof f['local-member-id'] === 'string' && f['local-member-id']) return { idHex: f['local-member-id'] };
  return undefined;
}
