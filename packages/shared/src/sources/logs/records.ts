/**
 * etcd's own line formats, envelopes already removed:
 * - zap JSON (3.5/3.6 default, 3.4 with --logger=zap): {"level","ts","caller","msg",...fields}
 * - zap console (--log-format=console): ts \t LEVEL \t caller \t msg \t {fields}
 * - capnslog (3.4 default): `2024-05-01 10:00:00.123456 W | etcdserver: message`
 * - the raft library's Go logger under capnslog: `raft2024/05/01 10:00:00 INFO: message`
 * - bare text, which capnslog writes when it detects journald (the envelope supplies the time).
 */
export interface EtcdRecord {
  readonly format: 'zap-json' | 'zap-console' | 'capnslog' | 'raft-log' | 'text';
  /** Epoch milliseconds, when the line carries a time. */
  readonly ts?: number;
  /** Whether `ts` came with a zone; capnslog and the raft logger write local time without one. */
  readonly tsExact: boolean;
  /** Lower-case level (debug, info, warn, error, dpanic, panic, fatal, critical); absent for bare text. */
  readonly level?: string;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

const CAPNSLOG = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) ([DINWECP]) \| (?:([\w./-]+): )?(.*)$/s;
const RAFT_LOG = /^raft(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) (DEBUG|INFO|WARN|WARNING|ERROR|PANIC|FATAL): (.*)$/s;
// etcd's encoder config writes levels in lower case (zapcore.LowercaseLevelEncoder); zap's development config, upper case.
const ZAP_CONSOLE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))\t(debug|info|warn|error|dpanic|panic|fatal|DEBUG|INFO|WARN|ERROR|DPANIC|PANIC|FATAL)\t(.*)$/s;
const CAPNS_LEVELS: Readonly<Record<string, string>> = { D: 'debug', I: 'info', N: 'notice', W: 'warn', E: 'error', C: 'critical', P: 'panic' };

/** Levels at or above error: these lines become `error` events when nothing more specific fits. */
export const ERROR_LEVELS: ReadonlySet<string> = new Set(['error', 'dpanic', 'panic', 'fatal', 'critical']);

function zapTime(v: unknown): number | undefined {
  // zap's default production encoder writes epoch seconds; etcd configures ISO-8601.
  if (typeof v === 'number' && Number.isFinite(v)) return v > 1e11 ? v : v * 1000;
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v.endsWith('Z') ? v : v.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(t) ? undefined : t;
}

function fromZapJson(o: Record<string, unknown>): EtcdRecord | undefined {
  const msg = typeof o.msg === 'string' ? o.msg : typeof o.message === 'string' ? o.message : undefined;
  if (msg === undefined || (o.level === undefined && o.ts === undefined)) return undefined;
  const ts = zapTime(o.ts);
  const { level, msg: _m, ts: _t, ...fields } = o;
  return {
    format: 'zap-json',
    ...(ts !== undefined ? { ts } : {}),
    tsExact: ts !== undefined,
    ...(typeof level === 'string' ? { level: level.toLowerCase() } : {}),
    msg,
    fields,
  };
}

/** Two JSON records glued together when two writers shared a file without a newline between. */
function splitGlued(text: string): string[] {
  return text.split(/(?<=\})(?=\{")/);
}

function fromConsole(m: RegExpExecArray): EtcdRecord {
  const ts = zapTime(m[1]);
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
  const CALLER = /^[\w./-]+:\d+$/;
  if (rest.length > 2 && !CALLER.test(rest[0] ?? '') && CALLER.test(rest[1] ?? '')) fields = { logger: rest.shift(), ...fields };
  if (rest.length > 1 && CALLER.test(rest[0] ?? '')) fields = { caller: rest.shift(), ...fields };
  return { format: 'zap-console', ...(ts !== undefined ? { ts } : {}), tsExact: ts !== undefined, level: (m[2] as string).toLowerCase(), msg: rest.join('\t'), fields };
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
  if (trimmed.startsWith('{')) {
    const out: EtcdRecord[] = [];
    for (const part of splitGlued(trimmed)) {
      try {
        const r = fromZapJson(JSON.parse(part) as Record<string, unknown>);
        if (r) out.push(r);
      } catch {
        // A truncated or foreign JSON line: not an etcd record.
      }
    }
    return out;
  }
  let m: RegExpExecArray | null;
  if ((m = CAPNSLOG.exec(trimmed))) {
    const ts = Date.parse(`${m[1]}T${m[2]}Z`);
    return [
      {
        format: 'capnslog',
        ...(Number.isNaN(ts) ? {} : { ts }),
        tsExact: false,
        level: CAPNS_LEVELS[m[3] as string] ?? 'info',
        msg: m[5] ?? '',
        fields: m[4] ? { pkg: m[4] } : {},
      },
    ];
  }
  if ((m = RAFT_LOG.exec(trimmed))) {
    const ts = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}Z`);
    const level = (m[5] as string).toLowerCase();
    return [{ format: 'raft-log', ...(Number.isNaN(ts) ? {} : { ts }), tsExact: false, level: level === 'warning' ? 'warn' : level, msg: m[6] ?? '', fields: { pkg: 'raft' } }];
  }
  if ((m = ZAP_CONSOLE.exec(trimmed))) return [fromConsole(m)];
  return trimmed ? [{ format: 'text', tsExact: false, msg: trimmed, fields: {} }] : [];
}
