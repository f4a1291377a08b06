/**
 * Peels the envelopes that log shippers put around etcd's own line: the CRI log format written by
 * CRI-O/containerd, docker's json-file driver, `journalctl` (short, short-iso, short-precise,
 * `-o json`, `-o json-seq`, and `-o json-pretty` once its lines are joined), and `kubectl`/`oc logs --prefix --timestamps`. Envelopes may nest (a pod prefix
 * around a timestamp around etcd's JSON), so peeling repeats until none matches.
 */
export interface Unwrapped {
  /** etcd's own text, envelopes removed. */
  readonly text: string;
  /** An already parsed JSON object when the text is JSON (saves a second parse). */
  readonly json?: Record<string, unknown>;
  /** Time the envelope recorded, as epoch milliseconds. */
  readonly ts?: number;
  /** Pod name from a kubectl/oc `--prefix` envelope. */
  readonly pod?: string;
  /** Host name from a journald envelope. */
  readonly host?: string;
  /** Level from journald's PRIORITY, for bare text that carries none. */
  readonly level?: string;
  /** Set when this is an unfinished piece of a longer line (CRI `P`, docker without newline). */
  readonly partialKey?: string;
  /** The stream a complete CRI/docker line belongs to, so earlier partial pieces can be joined to it. */
  readonly streamKey?: string;
  /** Names of the envelopes removed, outermost first (for tests and debugging). */
  readonly envelopes: readonly string[];
}

export interface UnwrapContext {
  /** Year for journald short timestamps, which carry none; by default inferred from `now`. */
  readonly year?: number;
  readonly now?: Date;
}

const CRI = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (stdout|stderr) ([PF])(?: (.*))?$/s;
const RFC3339_PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/s;
const JOURNAL_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:?\d\d) (\S+) ([A-Za-z_][\w.@-]*)(?:\[\d+\])?: (.*)$/s;
const JOURNAL_SHORT = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d:\d\d:\d\d(?:\.\d+)?) (\S+) ([A-Za-z_][\w.@-]*)(?:\[\d+\])?: (.*)$/s;
/** etcd's zap lines start so; docker's and journald's JSON never do. */
const ZAP_HEAD = '{"level":';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const POD_NAME_END = /[\s\]/]/;
const CONTAINER_NAME_END = /[\s\]]/;

/**
 * `[pod/<pod>/<container>] ` as kubectl/oc logs --prefix writes it, cut by position: it precedes
 * every line of such a log, and a regex capturing the rest of the line costs a copy each time.
 */
function kubectlPrefix(text: string): { pod: string; rest: string } | undefined {
  if (!text.startsWith('[pod/')) return undefined;
  const slash = text.indexOf('/', 5);
  const close = slash < 0 ? -1 : text.indexOf(']', slash + 1);
  if (close < 0 || slash === 5 || close === slash + 1) return undefined;
  const pod = text.slice(5, slash);
  const container = text.slice(slash + 1, close);
  if (POD_NAME_END.test(pod) || CONTAINER_NAME_END.test(container)) return undefined;
  return { pod, rest: text.charCodeAt(close + 1) === 0x20 ? text.slice(close + 2) : text.slice(close + 1) };
}

/** syslog priorities as journald records them (0 emerg ... 7 debug). */
const PRIORITY_LEVELS = ['critical', 'critical', 'critical', 'error', 'warn', 'notice', 'info', 'debug'];

/** journald writes MESSAGE as an array of bytes when it is not valid UTF-8 or holds control characters. */
function journalMessage(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length <= 1 << 20 && v.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) return Buffer.from(v as number[]).toString('utf8');
  return undefined;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** journald's short format has no year: take the one that does not put the line in the future. */
function journalShortTime(mon: string, day: string, time: string, ctx: UnwrapContext): number | undefined {
  const month = MONTHS.indexOf(mon);
  if (month < 0) return undefined;
  const [hms, frac] = time.split('.');
  const [h, mi, s] = (hms ?? '').split(':').map(Number);
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const at = (y: number): number => Date.UTC(y, month, Number(day), h ?? 0, mi ?? 0, s ?? 0, ms);
  if (ctx.year) return at(ctx.year);
  const now = (ctx.now ?? new Date()).getTime();
  const year = new Date(now).getUTCFullYear();
  // A day of slack for clock and time-zone differences between the writer and this machine.
  return at(year) > now + 86_400_000 ? at(year - 1) : at(year);
}

/** Removes every envelope it recognises; a line without any comes back as its own text. */
export function unwrap(line: string, ctx: UnwrapContext = {}): Unwrapped {
  // journalctl -o json-seq starts each record with an ASCII record separator.
  let text = line.charCodeAt(0) === 0x1e ? line.slice(1) : line;
  let ts: number | undefined;
  let pod: string | undefined;
  let host: string | undefined;
  let level: string | undefined;
  const envelopes: string[] = [];
  for (let depth = 0; depth < 5; depth++) {
    let m: RegExpMatchArray | null;
    // JSON is either an envelope (docker, journald) or etcd's own zap line; no text envelope starts with "{".
    if (text.charCodeAt(0) === 0x7b) {
      if (text.startsWith(ZAP_HEAD)) return finish(text, { ts, pod, host, level, envelopes }, {}, null);
      const json = parseJsonObject(text);
      if (json && typeof json.log === 'string') {
        const t = typeof json.time === 'string' ? Date.parse(json.time) : NaN;
        if (!Number.isNaN(t)) ts ??= t;
        envelopes.push('docker');
        const key = `docker:${String(json.stream ?? '')}`;
        // json-file splits a line over 16 KiB into entries; only the last ends with a newline.
        if (!json.log.endsWith('\n')) return finish(json.log, { ts, pod, host, level, envelopes }, { partialKey: key });
        return finish(json.log.replace(/\r?\n$/, ''), { ts, pod, host, level, envelopes }, { streamKey: key });
      }
      const message = json ? journalMessage(json.MESSAGE) : undefined;
      if (json && message !== undefined) {
        const us = Number(json.__REALTIME_TIMESTAMP);
        if (Number.isFinite(us) && us > 0) ts ??= us / 1000;
        if (typeof json._HOSTNAME === 'string') host ??= json._HOSTNAME;
        const priority = Number(json.PRIORITY);
        if (json.PRIORITY !== undefined && Number.isInteger(priority)) level ??= PRIORITY_LEVELS[priority];
        text = message;
        envelopes.push('journald-json');
        continue;
      }
      return finish(text, { ts, pod, host, level, envelopes }, {}, json ?? null);
    }
    const prefixed = kubectlPrefix(text);
    if (prefixed) {
      pod ??= prefixed.pod;
      text = prefixed.rest;
      envelopes.push('kubectl-prefix');
      continue;
    }
    if ((m = CRI.exec(text))) {
      ts ??= Date.parse(m[1] as string);
      envelopes.push('cri');
      // The runtime envelope is the innermost one: what it carries is etcd's own text.
      return finish(m[4] ?? '', { ts, pod, host, level, envelopes }, m[3] === 'P' ? { partialKey: `cri:${m[2]}` } : { streamKey: `cri:${m[2]}` });
    }
    if ((m = JOURNAL_ISO.exec(text))) {
      ts ??= Date.parse((m[1] as string).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
      host ??= m[2];
      text = m[4] ?? '';
      envelopes.push('journald');
      continue;
    }
    if ((m = JOURNAL_SHORT.exec(text))) {
      const t = journalShortTime(m[1] as string, m[2] as string, m[3] as string, ctx);
      if (t !== undefined) {
        ts ??= t;
        host ??= m[4];
        text = m[6] ?? '';
        envelopes.push('journald');
        continue;
      }
    }
    if ((m = RFC3339_PREFIX.exec(text))) {
      ts ??= Date.parse(m[1] as string);
      text = m[2] ?? '';
      envelopes.push('timestamps');
      continue;
    }
    return finish(text, { ts, pod, host, level, envelopes }, {}, null);
  }
  return finish(text, { ts, pod, host, level, envelopes }, {});
}

interface Found {
  ts: number | undefined;
  pod: string | undefined;
  host: string | undefined;
  level: string | undefined;
  envelopes: string[];
}

/** `parsed` is the text's JSON when already parsed, null when known not to be JSON. */
function finish(text: string, f: Found, keys: { partialKey?: string; streamKey?: string }, parsed?: Record<string, unknown> | null): Unwrapped {
  // etcd's own zap lines are parsed later, and only when the quick look at them says they matter.
  const json = keys.partialKey || parsed === null ? undefined : (parsed ?? (text.startsWith(ZAP_HEAD) ? undefined : parseJsonObject(text)));
  // Built field by field: this runs once per line, and spreads cost more than the rest of it.
  const out: { -readonly [K in keyof Unwrapped]: Unwrapped[K] } = { text, envelopes: f.envelopes };
  if (json) out.json = json;
  if (f.ts !== undefined && !Number.isNaN(f.ts)) out.ts = f.ts;
  if (f.pod) out.pod = f.pod;
  if (f.host) out.host = f.host;
  if (f.level) out.level = f.level;
  if (keys.partialKey) out.partialKey = keys.partialKey;
  if (keys.streamKey) out.streamKey = keys.streamKey;
  return out;
}
