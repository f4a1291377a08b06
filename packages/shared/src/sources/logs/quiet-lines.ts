/**
 * A shortcut for the zap lines that make up most of a busy etcd log and are never events: request
 * traces ("trace[N] range"), "request stats", compaction and snapshot chatter. They are
 * recognised from their leading bytes, without JSON.parse, so a gigabyte of them costs a scan.
 *
 * Only an allowlist is taken this way: etcd's own messages, at debug/info/warn, whose line holds
 * no error, no member id and no symptom word; anything else goes through the full parse and the
 * rules. A test reads every fixture both ways and expects the same result.
 */
export interface QuietLine {
  readonly level: string;
  /** The raw `ts` value. */
  readonly ts: string;
}

// Messages from etcd 3.4-3.6: traceutil/trace.go, v3rpc/interceptor.go, mvcc/index.go and hash.go,
// etcdserver/server.go, fileutil/purge.go, rafthttp/stream.go.
const QUIET_MESSAGES: ReadonlySet<string> = new Set([
  'request stats',
  'compact tree index',
  'storing new hash',
  'saved snapshot',
  'saved snapshot to disk',
  'compacted Raft logs',
  'triggering snapshot',
  'purged',
  'set message encoder',
]);
const TRACE = /^trace\[\d+\] [\w ]+$/;
// Words any rule or member hint could read outside the message, and a second record glued on.
const RISKY = /"error":|local-member-|space exceeded|no space|backend quota|timed out|\}\{"/g;
const HEAD = '{"level":"';
const TS = '","ts":"';
const MSG = '"msg":"';

export function quietZapLine(text: string): QuietLine | undefined {
  if (!text.startsWith(HEAD)) return undefined;
  const levelEnd = text.indexOf('"', HEAD.length);
  if (levelEnd < 0) return undefined;
  const level = text.slice(HEAD.length, levelEnd);
  if (level !== 'info' && level !== 'warn' && level !== 'debug') return undefined;
  if (!text.startsWith(TS, levelEnd)) return undefined;
  const tsStart = levelEnd + TS.length;
  const tsEnd = text.indexOf('"', tsStart);
  const msgKey = tsEnd < 0 ? -1 : text.indexOf(MSG, tsEnd);
  if (msgKey < 0) return undefined;
  const msgStart = msgKey + MSG.length;
  const msgEnd = text.indexOf('"', msgStart);
  if (msgEnd < 0) return undefined;
  const msg = text.slice(msgStart, msgEnd);
  if (!QUIET_MESSAGES.has(msg) && !TRACE.test(msg)) return undefined;
  // A whole object, alone on its line (not cut short, not glued to another record).
  if (text.charCodeAt(text.length - 1) !== 0x7d) return undefined;
  // Before the message come only level, time, logger and caller: the search starts after it.
  RISKY.lastIndex = msgEnd;
  if (RISKY.test(text)) return undefined;
  return { level, ts: text.slice(tsStart, tsEnd) };
}
