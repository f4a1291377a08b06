import type { LogEvent } from '../../schema/index.ts';
import { classify } from './classify.ts';
import { isFloatSeconds, type IntegerDurationUnit } from './duration.ts';
import { cleanExample, createFileCounters, type LogFileCounters } from './file-counters.ts';
import { anyTime, onDateOf } from './log-time.ts';
import { memberHint } from './member-hint.ts';
import { memberFromPath } from './member-path.ts';
import { createMemberStream, type Emitted, type MemberStream } from './member-stream.ts';
import { createMultilineJson } from './multiline-json.ts';
import { quietZapLine } from './quiet-lines.ts';
import type { ClassifyContext } from './reading.ts';
import { parseRecords, type EtcdRecord } from './records.ts';
import { unwrap, type UnwrapContext, type Unwrapped } from './unwrap.ts';

export { memberFromPath } from './member-path.ts';

export interface LogContext extends UnwrapContext {
  /** Member name for every event, overriding anything the lines say. */
  readonly member?: string;
  /** Where the lines come from (a file path); a pod name or file name in it names the member. */
  readonly source?: string;
  /** Longest `raw` kept per event; 400 characters by default, 0 for none. */
  readonly rawChars?: number;
  /** Longest logical line (CRI/docker pieces joined, a journald json-pretty object), in characters; 64 KiB by default. */
  readonly maxLineChars?: number;
  /** Parse every line in full, without the shortcut for etcd's most frequent ordinary zap lines (slower; for checks). */
  readonly exhaustive?: boolean;
}

export interface LogParseStats {
  /** Non-blank physical lines seen. */
  lines: number;
  /** etcd log records recognised (an event or an ordinary line). */
  parsed: number;
  /** Lines that were not etcd log records; never thrown, only counted. */
  skipped: number;
}

/** A line-at-a-time parser: keeps the state that spans lines (partial CRI/docker lines, the member, peer state). */
export interface LogParser {
  /** Feeds one line (`truncated` when the reader cut it at the length cap); returns the events it completed. */
  push(line: string, truncated?: boolean): readonly LogEvent[];
  /** Flushes partial lines and open operations left at the end of the input. */
  end(): readonly LogEvent[];
  readonly stats: Readonly<LogParseStats>;
  /** Per-input counts: lines that were events, ordinary etcd lines, or in an unknown format. */
  readonly counters: Readonly<LogFileCounters>;
  /** The best member name known so far for lines that named none. */
  readonly member: string | undefined;
  /** Local member ids the log revealed, by member name (lower-case hex, no leading zeros). */
  memberIds(): Record<string, string>;
}

export const DEFAULT_MAX_LINE_CHARS = 64 * 1024;
const MAX_MESSAGE_CHARS = 500;
const NONE: readonly LogEvent[] = [];
const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});
/** Kinds etcd logs at info level; every other kind is a warning or worse. */
const QUIET_KINDS_LEVEL: Partial<Record<LogEvent['kind'], string>> = {
  compaction: 'info',
  defrag: 'info',
  'leader-elected': 'info',
  'leader-lost': 'info',
  'leader-changed': 'info',
  'peer-active': 'info',
  'peer-connection-restored': 'info',
};
/** zap fields that hold durations: a float among them means the log writes seconds. */
const DURATION_FIELDS = ['took', 'expected-duration', 'exceeded-duration', 'heartbeat-interval', 'retry-timeout', 'timeout', 'taking', 'rtt', 'clock-drift'];

interface Pending {
  text: string;
  first: Unwrapped;
  raw: string;
  lines: number;
  truncated: boolean;
}

const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

export function createLogParser(ctx: LogContext = {}): LogParser {
  const stats: LogParseStats = { lines: 0, parsed: 0, skipped: 0 };
  const counters = createFileCounters();
  const fromPath = ctx.source && ctx.source !== '-' ? memberFromPath(ctx.source) : {};
  const rawChars = ctx.rawChars ?? 400;
  const maxLine = ctx.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  const pending = new Map<string, Pending>();
  const multiline = createMultilineJson(maxLine);
  const streams = new Map<string, { stream: MemberStream; env: Unwrapped }>();
  const ownerIds = new Map<string, string>();
  let learnedName: string | undefined;
  let learnedId: string | undefined;
  let integerUnit: IntegerDurationUnit | undefined;
  let lastTs: number | undefined;

  const bestMember = (): string | undefined => ctx.member ?? fromPath.pod ?? learnedName ?? fromPath.file ?? learnedId;
  const lineMember = (env: Unwrapped): string | undefined => ctx.member ?? env.pod ?? fromPath.pod ?? learnedName ?? env.host ?? fromPath.file ?? learnedId;

  /** One stream per member in the input (a `--prefix` log interleaves several); `env` names it at the end. */
  function streamOf(owner: string, env: Unwrapped): MemberStream {
    const s = streams.get(owner);
    if (s) {
      s.env = env;
      return s.stream;
    }
    const stream = createMemberStream();
    streams.set(owner, { stream, env });
    return stream;
  }

  function unknown(lines: number, raw: string): void {
    counters.unknown += lines;
    stats.skipped += lines;
    counters.unknownExample ??= cleanExample(raw);
  }

  /** Envelope time is exact (UTC); capnslog and the Go loggers write local time without a zone. */
  function timeOf(r: EtcdRecord, env: Unwrapped): number | undefined {
    if (r.ts !== undefined && r.tsExact) return r.ts;
    if (env.ts !== undefined) return env.ts;
    if (r.ts !== undefined) return r.ts;
    return r.timeOfDayMs !== undefined && lastTs !== undefined ? onDateOf(lastTs, r.timeOfDayMs) : undefined;
  }

  let current: EtcdRecord | undefined;
  // Asked only when a rule reads a number as a duration: a float among the record's durations
  // means the log writes seconds, and so do its integers from then on.
  const classifyContext: ClassifyContext = {
    get integerDurations(): IntegerDurationUnit {
      if (integerUnit !== 's' && current?.format === 'zap-json') for (const k of DURATION_FIELDS) if (isFloatSeconds(current.fields[k])) integerUnit = 's';
      return integerUnit ?? 'ns';
    },
  };

  function learnMember(r: EtcdRecord, owner: string): void {
    const hint = memberHint(r);
    if (!hint) return;
    if (owner) {
      if (hint.idHex) ownerIds.set(owner, hint.idHex);
      return;
    }
    if (hint.name) learnedName = hint.name;
    if (hint.idHex) learnedId ??= hint.idHex;
  }

  function toEvent(em: Emitted, r: EtcdRecord | undefined, env: Unwrapped, raw: string, truncated: boolean): LogEvent {
    const c = em.c;
    const member = lineMember(env);
    const fromLine = r !== undefined && em.message === undefined;
    const d = truncated ? { ...c.detail, truncated: true } : c.detail;
    return {
      ts: new Date(em.ts).toISOString(),
      ...(member ? { member } : {}),
      ...(c.peer ? { peer: c.peer } : {}),
      // An event carried over from earlier lines (an unfinished defrag) has its own level, not this line's.
      level: (fromLine ? (r?.level ?? env.level) : undefined) ?? c.level ?? QUIET_KINDS_LEVEL[c.kind] ?? 'warn',
      kind: c.kind,
      message: cut(em.message ?? r?.msg ?? '', MAX_MESSAGE_CHARS),
      ...(c.durationMs !== undefined ? { durationMs: c.durationMs } : {}),
      ...(c.expectedMs !== undefined ? { expectedMs: c.expectedMs } : {}),
      ...(d ? { detail: d } : {}),
      ...(rawChars > 0 && raw ? { raw: cut(raw, rawChars) } : {}),
    };
  }

  /** A line the shortcut knows to be ordinary: only its time is read. */
  function quiet(ts: string, env: Unwrapped, lines: number): readonly LogEvent[] {
    const time = anyTime(ts);
    const r: EtcdRecord = { format: 'zap-json', ts: time?.ts, timeOfDayMs: time?.timeOfDayMs, tsExact: time?.exact ?? false, msg: '', fields: NO_FIELDS };
    stats.parsed++;
    counters.formats.add('zap-json');
    const t = timeOf(r, env);
    if (t === undefined || Number.isNaN(t)) counters.undated++;
    else dated(t);
    counters.ordinary += lines;
    return NONE;
  }

  function dated(ts: number): void {
    lastTs = ts;
    counters.firstTs = Math.min(counters.firstTs ?? ts, ts);
    counters.lastTs = Math.max(counters.lastTs ?? ts, ts);
  }

  function handle(text: string, env: Unwrapped, raw: string, json: Record<string, unknown> | undefined, lines: number, truncated: boolean): readonly LogEvent[] {
    for (const e of env.envelopes) counters.formats.add(e);
    const q = json || truncated || ctx.exhaustive ? undefined : quietZapLine(text);
    if (q) return quiet(q.ts, env, lines);
    const records = parseRecords(text, json);
    const inJournal = env.envelopes.some((e) => e.startsWith('journald'));
    const owner = env.pod ?? env.host ?? '';
    let recognised = false;
    let events: LogEvent[] | undefined;
    for (const r of records) {
      // Bare text is an etcd line only inside journald, where capnslog drops its own prefix.
      if (r.format === 'text' && !inJournal) continue;
      recognised = true;
      stats.parsed++;
      counters.formats.add(r.format);
      if (r.format === 'notice') continue;
      learnMember(r, owner);
      const ts = timeOf(r, env);
      if (ts === undefined || Number.isNaN(ts)) {
        counters.undated++;
        continue;
      }
      dated(ts);
      current = r;
      const reading = classify(r, classifyContext);
      if (!reading) continue;
      for (const em of streamOf(owner, env).accept(reading, ts)) (events ??= []).push(toEvent(em, r, env, raw, truncated));
    }
    if (!recognised) unknown(lines, raw);
    else if (events) counters.events += lines;
    else counters.ordinary += lines;
    return events ?? NONE;
  }

  function process(line: string, lines: number, truncated: boolean): readonly LogEvent[] {
    const env = unwrap(line, ctx);
    if (env.partialKey) {
      const p = pending.get(env.partialKey);
      if (!p) pending.set(env.partialKey, { text: env.text, first: env, raw: line, lines, truncated });
      else {
        p.lines += lines;
        // A partial line that never ends must not grow without bound (runtimes split at 16 KiB).
        if (p.text.length + env.text.length <= maxLine) p.text += env.text;
        else p.truncated = true;
      }
      return NONE;
    }
    const p = env.streamKey ? pending.get(env.streamKey) : undefined;
    if (p && env.streamKey) {
      pending.delete(env.streamKey);
      const joined = p.text.length + env.text.length <= maxLine ? p.text + env.text : p.text;
      return handle(joined, { ...p.first, envelopes: env.envelopes }, p.raw, undefined, p.lines + lines, truncated || p.truncated || joined === p.text);
    }
    return handle(env.text, env, line, env.json, lines, truncated);
  }

  return {
    push(line: string, truncated = false): readonly LogEvent[] {
      if (!line.trim()) return NONE;
      stats.lines++;
      counters.lines++;
      if (truncated) counters.truncated++;
      const ml = multiline.push(line);
      if (!ml.taken) return process(line, 1, truncated);
      if (ml.abandoned) unknown(ml.abandoned, '{');
      return ml.object ? process(ml.object.text, ml.object.lines, truncated) : NONE;
    },
    end(): readonly LogEvent[] {
      const events: LogEvent[] = [];
      for (const p of pending.values()) events.push(...handle(p.text, p.first, p.raw, undefined, p.lines, p.truncated));
      pending.clear();
      const open = multiline.drain();
      if (open) unknown(open, '{');
      for (const s of streams.values()) for (const em of s.stream.flush()) events.push(toEvent(em, undefined, s.env, '', false));
      return events;
    },
    get stats() {
      return stats;
    },
    get counters() {
      return counters;
    },
    get member() {
      return bestMember();
    },
    memberIds() {
      const out: Record<string, string> = {};
      const name = bestMember();
      if (name && learnedId && name !== learnedId) out[name] = learnedId;
      for (const [owner, id] of ownerIds) if (owner !== id) out[owner] = id;
      return out;
    },
  };
}

/** Parses one self-contained line (no partial-line joining, no member learned from earlier lines). */
export function parseLogLine(line: string, ctx: LogContext = {}): LogEvent | undefined {
  const parser = createLogParser(ctx);
  return [...parser.push(line), ...parser.end()][0];
}
