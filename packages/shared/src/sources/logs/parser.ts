import type { LogEvent } from '../../schema/index.ts';
import { classify, memberHint } from './classify.ts';
import { parseRecords, type EtcdRecord } from './records.ts';
import { unwrap, type UnwrapContext, type Unwrapped } from './unwrap.ts';

export interface LogContext extends UnwrapContext {
  /** Member name for every event, overriding anything the lines say. */
  readonly member?: string;
  /** Where the lines come from (a file path); a pod name or file name in it names the member. */
  readonly source?: string;
  /** Longest `raw` kept per event; 400 characters by default, 0 for none. */
  readonly rawChars?: number;
}

export interface LogParseStats {
  /** Non-blank physical lines seen. */
  lines: number;
  /** etcd log records recognised (an event or an ordinary line). */
  parsed: number;
  /** Lines that were not etcd log records; never thrown, only counted. */
  skipped: number;
}

/** A line-at-a-time parser: keeps the state that spans lines (partial CRI/docker lines, the member). */
export interface LogParser {
  /** Feeds one line; returns the events it completed (usually none or one). */
  push(line: string): LogEvent[];
  /** Flushes partial lines left at the end of the input. */
  end(): LogEvent[];
  readonly stats: Readonly<LogParseStats>;
  /** The best member name known so far for lines that named none. */
  readonly member: string | undefined;
}

const MAX_MESSAGE_CHARS = 500;
/** A partial line that never ends must not grow without bound (docker splits at 16 KiB). */
const MAX_PARTIAL_CHARS = 1 << 20;
/** Kinds etcd logs at info level; every other kind is a warning or worse. */
const QUIET_KINDS_LEVEL: Partial<Record<LogEvent['kind'], string>> = { compaction: 'info', 'leader-elected': 'info', 'leader-lost': 'info', 'leader-changed': 'info' };
const GENERIC_NAMES = new Set(['current', 'previous', 'etcd', 'log', 'logs', 'output', 'messages', 'syslog', 'stdin', 'stdout', 'stderr', '0', '-', 'journal', 'container']);

/**
 * The member a log file belongs to, from its path: must-gather `.../pods/<pod>/...`, kubelet
 * `/var/log/pods/<ns>_<pod>_<uid>/...` and `/var/log/containers/<pod>_<ns>_<container>-<id>.log`,
 * else the file name (`etcd-0.log` -> etcd-0) unless it is a generic one like `current.log`.
 */
export function memberFromPath(path: string): { pod?: string; file?: string } {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const podsAt = parts.lastIndexOf('pods');
  const afterPods = podsAt >= 0 ? parts[podsAt + 1] : undefined;
  if (afterPods && podsAt + 2 < parts.length) {
    const kubelet = /^[^_]+_([^_]+)_[0-9a-f-]{8,}$/.exec(afterPods);
    return { pod: kubelet ? (kubelet[1] as string) : afterPods };
  }
  const base = parts[parts.length - 1] ?? '';
  if (parts[parts.length - 2] === 'containers') {
    const m = /^([^_]+)_[^_]+_.+\.log$/.exec(base);
    if (m) return { pod: m[1] as string };
  }
  const name = base.replace(/(\.(log|txt|json|gz|\d+))+$/i, '');
  return name && !GENERIC_NAMES.has(name.toLowerCase()) ? { file: name } : {};
}

interface Pending {
  text: string;
  first: Unwrapped;
  raw: string;
}

export function createLogParser(ctx: LogContext = {}): LogParser {
  const stats: LogParseStats = { lines: 0, parsed: 0, skipped: 0 };
  const fromPath = ctx.source && ctx.source !== '-' ? memberFromPath(ctx.source) : {};
  const rawChars = ctx.rawChars ?? 400;
  const pending = new Map<string, Pending>();
  const electedSeen = new Set<string>();
  let learnedName: string | undefined;
  let learnedId: string | undefined;

  const bestMember = (): string | undefined => ctx.member ?? fromPath.pod ?? learnedName ?? fromPath.file ?? learnedId;

  function toEvent(r: EtcdRecord, env: Unwrapped, raw: string): LogEvent | undefined {
    // Envelope time is exact (UTC); capnslog and the raft logger write local time without a zone.
    const ts = r.tsExact ? r.ts : (env.ts ?? r.ts);
    if (ts === undefined || Number.isNaN(ts)) return undefined;
    stats.parsed++;
    const lineHasOwner = Boolean(env.pod ?? env.host);
    if (!lineHasOwner) {
      const hint = memberHint(r);
      if (hint?.name) learnedName = hint.name;
      if (hint?.idHex) learnedId ??= hint.idHex;
    }
    const c = classify(r);
    if (!c) return undefined;
    const member = ctx.member ?? env.pod ?? fromPath.pod ?? learnedName ?? env.host ?? fromPath.file ?? learnedId;
    if (c.kind === 'leader-elected' && c.detail?.term !== undefined) {
      // The winner logs "became leader" and then "elected leader" for the same term: one election.
      const key = `${member ?? ''}|${String(c.detail.term)}`;
      if (electedSeen.has(key)) return undefined;
      electedSeen.add(key);
    }
    const message = r.msg.length > MAX_MESSAGE_CHARS ? `${r.msg.slice(0, MAX_MESSAGE_CHARS)}…` : r.msg;
    return {
      ts: new Date(ts).toISOString(),
      ...(member ? { member } : {}),
      level: r.level ?? c.level ?? QUIET_KINDS_LEVEL[c.kind] ?? 'warn',
      kind: c.kind,
      message,
      ...(c.durationMs !== undefined ? { durationMs: c.durationMs } : {}),
      ...(c.expectedMs !== undefined ? { expectedMs: c.expectedMs } : {}),
      ...(c.detail ? { detail: c.detail } : {}),
      ...(rawChars > 0 ? { raw: raw.length > rawChars ? `${raw.slice(0, rawChars)}…` : raw } : {}),
    };
  }

  function handle(text: string, env: Unwrapped, raw: string, json?: Record<string, unknown>): LogEvent[] {
    const records = parseRecords(text, json);
    if (!records.length) {
      stats.skipped++;
      return [];
    }
    const events: LogEvent[] = [];
    let recognised = false;
    for (const r of records) {
      // Bare text is an etcd line only inside journald, where capnslog drops its own prefix.
      if (r.format === 'text' && !env.envelopes.some((e) => e.startsWith('journald'))) continue;
      const before = stats.parsed;
      const e = toEvent(r, env, raw);
      if (stats.parsed > before) recognised = true;
      if (e) events.push(e);
    }
    if (!recognised) stats.skipped++;
    return events;
  }

  return {
    push(line: string): LogEvent[] {
      if (!line.trim()) return [];
      stats.lines++;
      const env = unwrap(line, ctx);
      if (env.partialKey) {
        const p = pending.get(env.partialKey);
        if (!p) pending.set(env.partialKey, { text: env.text, first: env, raw: line });
        else if (p.text.length + env.text.length <= MAX_PARTIAL_CHARS) p.text += env.text;
        return [];
      }
      const p = env.streamKey ? pending.get(env.streamKey) : undefined;
      if (p && env.streamKey) {
        pending.delete(env.streamKey);
        return handle(p.text + env.text, { ...p.first, envelopes: env.envelopes }, p.raw);
      }
      return handle(env.text, env, line, env.json);
    },
    end(): LogEvent[] {
      const events = [...pending.values()].flatMap((p) => handle(p.text, p.first, p.raw));
      pending.clear();
      return events;
    },
    get stats() {
      return stats;
    },
    get member() {
      return bestMember();
    },
  };
}

/** Parses one self-contained line (no partial-line joining, no member learned from earlier lines). */
export function parseLogLine(line: string, ctx: LogContext = {}): LogEvent | undefined {
  const parser = createLogParser(ctx);
  return [...parser.push(line), ...parser.end()][0];
}
