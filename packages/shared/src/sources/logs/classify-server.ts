import type { LogEventKind } from '../../schema/index.ts';
import { detail, dur, event, intOf, str, type ClassifyContext, type Detail, type Fields, type Reading, type Rule } from './reading.ts';

/**
 * etcd server lines: applies, WAL fsync, heartbeats, compaction, defragmentation, snapshots, read
 * indexes, alarms. Message strings are etcd's own, from etcdserver/util.go (txn/util.go in 3.6),
 * raft.go, server.go, v3_server.go, apply.go, api/v3rpc/maintenance.go, wal/wal.go,
 * mvcc/kvstore_compaction.go and mvcc/backend/backend.go of 2.3 to 3.6.
 */

/** etcd's warnApplyDuration: the threshold behind every capnslog "took too long" apply warning. */
const APPLY_WARN_MS = 100;

/** A slow apply of a range (read-only range, or a request that is a RangeRequest) is an expensive read. */
function applyKind(prefix: string | undefined, request: string | undefined): LogEventKind {
  return /range/i.test(prefix ?? '') || (request ?? '').startsWith('key:') ? 'expensive-read' : 'slow-apply';
}

/** "range_response_count:1 size:123" -> counts that tell a big read from a slow disk. */
function responseDetail(resp: string | undefined): Detail {
  const m = /range_response_count:(\d+) size:(\d+)/.exec(resp ?? '');
  return m ? { responseCount: Number(m[1]), responseBytes: Number(m[2]) } : {};
}

const unquote = (s: string): string => s.replace(/\\"/g, '"').replace(/\\\\/g, '\\');

/**
 * capnslog `<prefix>request "<req>" with result "<res>" took too long (<d>) to execute` (3.1-3.4),
 * cut with indexOf rather than a backtracking regex: the request text can be long.
 */
function capnsSlowRequest(msg: string): Reading | undefined {
  const END = ') to execute';
  const TOOK = '" took too long (';
  const RESULT = '" with result "';
  if (!msg.endsWith(END)) return undefined;
  const took = msg.lastIndexOf(TOOK);
  const result = took > 0 ? msg.lastIndexOf(RESULT, took) : -1;
  const start = msg.indexOf('request "');
  if (took < 0 || result < 0 || start < 0 || start + 9 > result) return undefined;
  const prefix = msg.slice(0, start).trim();
  const request = unquote(msg.slice(start + 9, result));
  const res = unquote(msg.slice(result + RESULT.length, took));
  const error = res.startsWith('error:') ? res.slice('error:'.length) : undefined;
  const d = detail({ prefix, request, ...(error ? { error } : { response: res, ...responseDetail(res) }) });
  return event(applyKind(prefix, request), { durationMs: dur(msg.slice(took + TOOK.length, msg.length - END.length), CTX_NS), expectedMs: APPLY_WARN_MS, detail: d });
}

const CTX_NS: ClassifyContext = { integerDurations: 'ns' };

const CAPNS_APPLY_ENTRIES = /^apply entries took too long \[(\S+) for (\d+) entries\]/;
const CAPNS_SYNC = /^sync duration of (\S+), expected less than (\S+)/;
const CAPNS_HEARTBEAT = /^failed to send out heartbeat on time \(exceeded the (\S+) timeout for ([^,)]+)(?:, to ([0-9a-f]+))?\)/;
const HEARTBEAT_2_3 = /^failed to send out heartbeat on time \(deadline exceeded for ([^)]+)\)/;
const CAPNS_COMPACTION = /^finished scheduled compaction at (\d+) \(took ([^)]+)\)/;
const CAPNS_SNAPSHOT = /^snapshotting is taking more than ([\d.]+) seconds to finish transferring ([\d.]+) MB/;
const CAPNS_ALARM = /^alarm (\w+) raised by peer (\S+)/;
const CAPNS_RETRY = /retry-timeout: (\S+?)\)?$/;
const CAPNS_READ_INDEX_TIMEOUT = /timeout: (\S+)$/;
// 3.4 capnslog warnOfFailedRequest: `failed to apply request %q with response %q took (%v) to execute, err is %v`.
const CAPNS_FAILED_APPLY_TOOK = / took \(([^()]+)\) to execute, err is /;

function applyTookTooLong(_msg: string, f: Fields, _r: unknown, ctx: ClassifyContext): Reading {
  const prefix = typeof f.prefix === 'string' ? f.prefix.trim() : undefined;
  const request = typeof f.request === 'string' ? f.request : undefined;
  const resp = typeof f.response === 'string' ? f.response : undefined;
  const d = detail({ prefix, request, response: resp, ...responseDetail(resp), error: f.error });
  return event(applyKind(prefix, request), { durationMs: dur(f.took, ctx), expectedMs: dur(f['expected-duration'], ctx), detail: d });
}

function heartbeat(_msg: string, f: Fields, _r: unknown, ctx: ClassifyContext): Reading {
  return event('heartbeat-failure', {
    durationMs: dur(f['exceeded-duration'], ctx),
    expectedMs: dur(f['expected-duration'], ctx),
    detail: detail({ to: f.to, heartbeatIntervalMs: dur(f['heartbeat-interval'], ctx) }),
    peer: typeof f.to === 'string' ? f.to : undefined,
  });
}

const sizes = (f: Fields, suffix = ''): Record<string, unknown> => ({
  [`dbSizeBytes${suffix}`]: f['current-db-size-bytes'],
  [`dbSizeInUseBytes${suffix}`]: f['current-db-size-in-use-bytes'],
});

/** zap messages that are constant strings, looked up whole (most lines of a zap log miss here at once). */
export const SERVER_EXACT: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['apply request took too long', applyTookTooLong],
  ['slow fdatasync', (_m, f, _r, ctx) => event('slow-fdatasync', { durationMs: dur(f.took, ctx), expectedMs: dur(f['expected-duration'], ctx) })],
  ['leader failed to send out heartbeat on time; took too long, leader is overloaded likely from slow disk', heartbeat],
  [
    'finished scheduled compaction',
    (_m, f, _r, ctx) =>
      event('compaction', { durationMs: dur(f.took, ctx), detail: detail({ revision: f['compact-revision'], keysCompacted: f['number-of-keys-compacted'], ...sizes(f) }) }),
  ],
  ['snapshotting taking too long to transfer', (_m, f, _r, ctx) => event('snapshot-slow', { durationMs: dur(f.taking, ctx), detail: detail({ bytes: f.bytes, size: f.size }) })],
  ['waiting for ReadIndex response took too long, retrying', (_m, f, _r, ctx) => event('slow-read-index', { durationMs: dur(f['retry-timeout'], ctx), detail: detail({ retryTimeoutMs: dur(f['retry-timeout'], ctx) }) })],
  [
    'timed out waiting for read index response (local node might have slow network)',
    (_m, f, _r, ctx) => event('slow-read-index', { durationMs: dur(f.timeout, ctx), detail: { timedOut: true } }),
  ],
  // Defragmentation: the member stream joins these lines into one event.
  ['starting defragment', () => event('defrag', { detail: { phase: 'start' } })],
  ['defragmenting', (_m, f) => event('defrag', { detail: detail({ phase: 'start', ...sizes(f, 'Before') }) })],
  ['defragmented', defragmented],
  ['finished defragmenting directory', defragmented],
  ['finished defragment', () => event('defrag', { detail: { phase: 'end' } })],
  ['failed to defragment', (_m, f) => event('defrag', { detail: detail({ phase: 'failed', error: f.error }), level: 'warn' })],
]);

function defragmented(_m: string, f: Fields, _r: unknown, ctx: ClassifyContext): Reading {
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  const after = num(f['current-db-size-bytes']);
  const inUse = num(f['current-db-size-in-use-bytes']);
  const diff = num(f['current-db-size-bytes-diff']);
  const inUseDiff = num(f['current-db-size-in-use-bytes-diff']);
  return event('defrag', {
    durationMs: dur(f.took, ctx),
    detail: detail({
      phase: 'backend-end',
      ...sizes(f),
      dbSizeBytesBefore: after !== undefined && diff !== undefined ? after - diff : undefined,
      dbSizeInUseBytesBefore: inUse !== undefined && inUseDiff !== undefined ? inUse - inUseDiff : undefined,
    }),
  });
}

/** Wordings that vary (capnslog format strings, older releases): tried in order after the exact lookup. */
export const SERVER_PATTERNS: readonly Rule[] = [
  (msg) => (msg.includes('took too long (') ? capnsSlowRequest(msg) : undefined),
  (msg, f, _r, ctx) => {
    if (!msg.startsWith('apply entries took too long')) return undefined;
    const m = CAPNS_APPLY_ENTRIES.exec(msg);
    const entries = intOf(m?.[2]) ?? (typeof f.entries === 'number' ? f.entries : undefined);
    // etcd warns when the batch took longer than 100 ms per entry.
    return event('slow-apply', { durationMs: dur(m?.[1] ?? f.took, ctx), expectedMs: entries ? entries * APPLY_WARN_MS : undefined, detail: detail({ entries }) });
  },
  (msg) => {
    const m = msg.startsWith('sync duration of') ? CAPNS_SYNC.exec(msg) : null;
    return m ? event('slow-fdatasync', { durationMs: dur(m[1], CTX_NS), expectedMs: dur(m[2], CTX_NS) }) : undefined;
  },
  (msg, f, r, ctx) => (msg.startsWith('leader failed to send out heartbeat on time') ? heartbeat(msg, f, r, ctx) : undefined),
  (msg) => {
    if (!msg.startsWith('failed to send out heartbeat on time')) return undefined;
    const m = CAPNS_HEARTBEAT.exec(msg);
    if (m) {
      // The leader warns when the gap exceeds twice the heartbeat interval (contention.NewTimeoutDetector(2 * heartbeat)).
      const interval = dur(m[1], CTX_NS);
      return event('heartbeat-failure', { durationMs: dur(m[2], CTX_NS), expectedMs: interval !== undefined ? 2 * interval : undefined, detail: detail({ to: m[3], heartbeatIntervalMs: interval }), peer: m[3] });
    }
    const old = HEARTBEAT_2_3.exec(msg);
    return old ? event('heartbeat-failure', { durationMs: dur(old[1], CTX_NS) }) : undefined;
  },
  (msg) => {
    const m = msg.startsWith('finished scheduled compaction at') ? CAPNS_COMPACTION.exec(msg) : null;
    return m ? event('compaction', { durationMs: dur(m[2], CTX_NS), detail: detail({ revision: intOf(m[1]) }) }) : undefined;
  },
  (msg) => {
    const m = msg.startsWith('snapshotting is taking more than') ? CAPNS_SNAPSHOT.exec(msg) : null;
    return m ? event('snapshot-slow', { durationMs: Number(m[1]) * 1000, detail: detail({ sizeMB: Number(m[2]) }) }) : undefined;
  },
  // Linearizable reads waiting on the leader, in the wordings of 3.1 to 3.4 capnslog.
  (msg) => {
    if (!msg.startsWith('waiting for ReadIndex response took too long')) return undefined;
    const retry = dur(CAPNS_RETRY.exec(msg)?.[1], CTX_NS);
    return event('slow-read-index', { durationMs: retry, detail: detail({ retryTimeoutMs: retry }) });
  },
  (msg) => (msg.startsWith('ignored out-of-date read index response') ? event('slow-read-index') : undefined),
  (msg, f, _r, ctx) => {
    if (!msg.startsWith('timed out waiting for read index response')) return undefined;
    return event('slow-read-index', { durationMs: dur(f.timeout, ctx) ?? dur(CAPNS_READ_INDEX_TIMEOUT.exec(msg)?.[1], CTX_NS), detail: { timedOut: true } });
  },
  // Defragmentation under capnslog (3.2-3.4): no sizes, the duration comes from the two lines' times.
  (msg) => (msg.startsWith('starting to defragment the storage backend') ? event('defrag', { detail: { phase: 'start' } }) : undefined),
  (msg) => (msg.startsWith('finished defragmenting the storage backend') ? event('defrag', { detail: { phase: 'end' } }) : undefined),
  (msg) => (msg.startsWith('failed to defragment the storage backend') ? event('defrag', { detail: detail({ phase: 'failed', error: /\((.*)\)$/.exec(msg)?.[1] }), level: 'error' }) : undefined),
  // Alarms: NOSPACE is the quota; CORRUPT is rare and grave, so it is kept as an error.
  (msg, f) => {
    const m = msg.startsWith('alarm ') ? CAPNS_ALARM.exec(msg) : null;
    const alarm = m ? m[1] : msg === 'alarm raised' ? str(f.alarm) : undefined;
    if (!alarm) return undefined;
    const d = detail({ alarm, from: m ? m[2] : f.from });
    return alarm === 'NOSPACE' ? event('db-space-exceeded', { detail: d }) : event('error', { detail: d, level: 'error' });
  },
];

/**
 * Symptoms that can appear in any message or error field. The server says "exceeded backend
 * quota" when it raises NOSPACE, "etcdserver: no space" for each write refused after, and "failed
 * to apply request" with the time the refused request took.
 */
const NO_SPACE = /database space exceeded|exceeded backend quota|etcdserver: no space/;
const mentions = (re: RegExp | string, msg: string, error: string | undefined): boolean =>
  typeof re === 'string' ? msg.includes(re) || (error?.includes(re) ?? false) : re.test(msg) || (error !== undefined && re.test(error));

export const SYMPTOM_RULES: readonly Rule[] = [
  (msg, f, _r, ctx) => {
    const error = str(f.error);
    if (!mentions(NO_SPACE, msg, error)) return undefined;
    return event('db-space-exceeded', { durationMs: dur(f.took, ctx) ?? dur(CAPNS_FAILED_APPLY_TOOK.exec(msg)?.[1], CTX_NS), detail: detail({ error }) });
  },
  (msg, f, _r, ctx) => {
    const error = str(f.error);
    if (!mentions('request timed out', msg, error)) return undefined;
    return event('request-timeout', { durationMs: dur(f.took, ctx) ?? dur(CAPNS_FAILED_APPLY_TOOK.exec(msg)?.[1], CTX_NS), detail: detail({ error }) });
  },
];
