import { isoTime } from './log-time.ts';
import { fromZapJson, normalizeLevel, salvageJsonObject } from './zap-json.ts';

/**
 * etcd's own line formats, envelopes already removed:
 * - zap JSON (3.5/3.6 default, 3.4 with --logger=zap): {"level","ts","caller","msg",...fields}
 * - zap console (--log-format=console): ts \t level \t [logger \t] caller \t msg \t {fields}
 * - capnslog (2.x-3.4 default): `2024-05-01 10:00:00.123456 W | etcdserver: message`, with a
 *   `[file.go:N]` column after the time when etcd runs with --debug
 * - the raft library's Go logger under capnslog: `raft2024/05/01 10:00:00 INFO: message`
 * - Go's standard logger (etcd 2.0/2.1, net/http): `2015/06/01 10:00:00 [file.go:N: ]etcdserver: message`
 * - grpc-go's logger in etcd's stderr: `WARNING: 2024/05/01 10:00:00 [core] grpc: ...`
 * - bare text, which capnslog writes when it detects journald (the envelope supplies the time)
 * - notices that carry no time: etcd's `[WARNING] Deprecated '--logger=...'` banner, journalctl's
 *   `-- Logs begin at ... --` markers.
 */
export interface EtcdRecord {
  readonly format: 'zap-json' | 'zap-console' | 'capnslog' | 'raft-log' | 'go-log' | 'grpc-log' | 'text' | 'notice';
  /** Epoch milliseconds, when the line carries a date and time. */
  readonly ts?: number | undefined;
  /** Milliseconds since midnight when the line carries a time but no date. */
  readonly timeOfDayMs?: number | undefined;
  /** Whether `ts` came with a zone; capnslog and the Go loggers write local time without one. */
  readonly tsExact: boolean;
  /** Lower-case level (debug, info, notice, warn, error, dpanic, panic, fatal, critical); absent for bare text. */
  readonly level?: string | undefined;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

const CAPNSLOG = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(?: \[([\w.-]+:\d+)\])? ([DINWECP]) \| (?:([\w./-]+): )?(.*)$/s;
const RAFT_LOG = /^raft(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) (DEBUG|INFO|WARN|WARNING|ERROR|PANIC|FATAL): (.*)$/s;
const GO_LOG = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) (?:([\w.-]+\.go:\d+): )?(.*)$/s;
const GRPC_LOG = /^(INFO|WARNING|ERROR|FATAL): (\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) (.*)$/s;
// etcd's encoder config writes levels in lower case (zapcore.LowercaseLevelEncoder); zap's development config, upper case.
const ZAP_CONSOLE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)\t(debug|info|warn|error|dpanic|panic|fatal|DEBUG|INFO|WARN|ERROR|DPANIC|PANIC|FATAL)\t(.*)$/s;
// A Go package path at the start of a message (etcdserver, mvcc/backend, http); "raft.node" is message text.
const GO_PKG = /^([a-z][a-z0-9]*(?:\/[a-z0-9]+)*): (.*)$/s;
const NOTICE = /^(?:\[WARNING\] Deprecated '--[\w-]+=|-- (?:Logs begin at|Journal begins at|Boot [0-9a-f]+|Reboot|No entries)\b)/;
const CAPNS_LEVELS: Readonly<Record<string, string>> = { D: 'debug', I: 'info', N: 'notice', W: 'warn', E: 'error', C: 'critical', P: 'panic' };
const CALLER = /^[\w./-]+:\d+$/;

/** Levels at or above error: these lines become `error` events when nothing more specific fits. */
export const ERROR_LEVELS: ReadonlySet<string> = new Set(['error', 'dpanic', 'panic', 'fatal', 'critical']);

/** Two JSON records glued together when two writers shared a file without a newline between. */
function splitGlued(text: string): string[] {
  return text.includes('}{"') ? text.split(/(?<=\})(?=\{")/) : [text];
}

function fromConsole(m: RegExpExecArray): EtcdRecord {
  const time = isoTime(m[1] as string);
  const rest = (m[3] ?? '').split('\t');
  // After the level: optional caller, the message, then optional JSON fields.
  let fields: Record<string, unknown> = {};
  const last = rest[rest.length - 1] ?? '';
  if (rest.length > 1 && last.startsWith('{')) {
    try {
      fields = JSON.parse(last) as Record<string, unknown>;
      rest.pop();
    } catch {
      // Not JSON after all: keep it as part of the message.
    }
  }
  // zap writes a named logger ("raft", "etcd-client") between the level and the caller.
  if (rest.length > 2 && !CALLER.test(rest[0] ?? '') && CALLER.test(rest[1] ?? '')) fields = { logger: rest.shift(), ...fields };
  if (rest.length > 1 && CALLER.test(rest[0] ?? '')) fields = { caller: rest.shift(), ...fields };
  return { format: 'zap-console', ...(time?.ts !== undefined ? { ts: time.ts } : {}), tsExact: time?.exact ?? false, level: (m[2] as string).toLowerCase(), msg: rest.join('\t'), fields };
}

const slashDate = (y: string, mo: string, d: string, time: string): number => Date.parse(`${y}-${mo}-${d}T${time}Z`);
const dated = (ts: number): { ts?: number } => (Number.isNaN(ts) ? {} : { ts });

function jsonRecords(trimmed: string): EtcdRecord[] {
  const out: EtcdRecord[] = [];
  for (const part of splitGlued(trimmed)) {
    let o: unknown;
    try {
      o = JSON.parse(part);
    } catch {
      // Cut short (over the length cap, or a crash mid-write): keep the fields before the cut.
      const head = salvageJsonObject(part);
      const r = head ? fromZapJson(head, true) : undefined;
      if (r) out.push(r);
      continue;
    }
    const r = o && typeof o === 'object' && !Array.isArray(o) ? fromZapJson(o as Record<string, unknown>) : undefined;
    if (r) out.push(r);
  }
  return out;
}

/**
 * Parses one envelope-free text into records: usually one, several for glued JSON, none when the
 * text is not an etcd line at all. Bare text is returned as a `text` record; the caller decides
 * whether an envelope made it credible.
 */
export function parseRecords(text: string, json?: Record<string, unknown>): EtcdRecord[] {
  if (json) {
    const r = fromZapJson(json);
    return r ? [r] : [];
  }
  const trimmed = text.trimEnd();
  if (trimmed.startsWith('{')) return jsonRecords(trimmed);
  let m: RegExpExecArray | null;
  if ((m = CAPNSLOG.exec(trimmed))) {
    const fields: Record<string, unknown> = {};
    if (m[5]) fields.pkg = m[5];
    if (m[3]) fields.caller = m[3];
    return [{ format: 'capnslog', ...dated(Date.parse(`${m[1]}T${m[2]}Z`)), tsExact: false, level: CAPNS_LEVELS[m[4] as string] ?? 'info', msg: m[6] ?? '', fields }];
  }
  if ((m = RAFT_LOG.exec(trimmed))) {
    return [{ format: 'raft-log', ...dated(slashDate(m[1]!, m[2]!, m[3]!, m[4]!)), tsExact: false, level: normalizeLevel(m[5] as string), msg: m[6] ?? '', fields: { pkg: 'raft' } }];
  }
  if ((m = ZAP_CONSOLE.exec(trimmed))) return [fromConsole(m)];
  if ((m = GRPC_LOG.exec(trimmed))) {
    return [{ format: 'grpc-log', ...dated(slashDate(m[2]!, m[3]!, m[4]!, m[5]!)), tsExact: false, level: normalizeLevel(m[1] as string), msg: m[6] ?? '', fields: { pkg: 'grpc' } }];
  }
  if ((m = GO_LOG.exec(trimmed))) {
    const pkg = GO_PKG.exec(m[6] ?? '');
    const fields: Record<string, unknown> = {};
    if (m[5]) fields.caller = m[5];
    if (pkg) fields.pkg = pkg[1];
    return [{ format: 'go-log', ...dated(slashDate(m[1]!, m[2]!, m[3]!, m[4]!)), tsExact: false, msg: pkg ? (pkg[2] as string) : (m[6] ?? ''), fields }];
  }
  if (NOTICE.test(trimmed)) return [{ format: 'notice', tsExact: false, msg: trimmed, fields: {} }];
  return trimmed ? [{ format: 'text', tsExact: false, msg: trimmed, fields: {} }] : [];
}
