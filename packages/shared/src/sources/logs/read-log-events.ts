import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import pLimit from 'p-limit';
import { ConfigError, describeError } from '../../errors/index.ts';
import type { LogEvent, LogEventKind, Problem } from '../../schema/index.ts';
import { createEventSampler, type EventSampler, type LogEventCount } from './event-sample.ts';
import { forEachLine } from './line-reader.ts';
import { createLogParser, DEFAULT_MAX_LINE_CHARS, type LogParseStats } from './parser.ts';

export type { LogEventCount } from './event-sample.ts';

export interface ReadLogEventsOptions {
  /** Log files to read; `-` reads standard input. Files ending in `.gz` are decompressed. */
  readonly files: readonly string[];
  /** Keep only events at or after this time; earlier ones are counted in `outsideWindow`. */
  readonly since?: Date;
  /** Keep only events at or before this time; later ones are counted in `outsideWindow`. */
  readonly until?: Date;
  /** Keep only events of this member (as resolved from envelopes, lines or file names). */
  readonly member?: string;
  /** Member name for events whose lines and file name name none (e.g. a log piped on stdin). */
  readonly defaultMember?: string;
  /** Year for journald short timestamps, which carry none. */
  readonly year?: number;
  /** Longest `raw` line kept per event (400 by default, 0 for none). */
  readonly rawChars?: number;
  /** Events kept per (member, kind) as evidence; every event is still counted. Default 50. */
  readonly samplePerKind?: number;
  /** Longest line read, in bytes (64 KiB by default); the rest of a longer line is dropped, and the line counted as truncated. */
  readonly maxLineBytes?: number;
}

/** What became of one input's lines. `lines` = `events` + `ordinary` + `unknown`. */
export interface LogFileStats {
  file: string;
  /** Envelopes and etcd formats seen (e.g. "cri", "capnslog", "zap-json", "journald-json"). */
  formats: string[];
  /** Non-blank lines read. */
  lines: number;
  /** Lines recognised as events (inside or outside the window). */
  events: number;
  /** Ordinary etcd lines: a known format, no event. */
  ordinary: number;
  /** Lines in a format this reader does not know. */
  unknown: number;
  /** The first unknown line, cut to 200 characters, control characters stripped. */
  unknownExample?: string;
  /** Events of this file outside [since, until]. */
  outsideWindow: number;
  /** ISO-8601 UTC of the first and last dated line. */
  firstTs?: string;
  lastTs?: string;
  /** Lines in a known format without a usable time (among `ordinary`). */
  undated?: number;
  /** Lines longer than `maxLineBytes`, cut before parsing. */
  truncated?: number;
}

export interface ReadLogEventsResult {
  /** The bounded sample (per member and kind: the earliest, latest and longest), inside [since, until], in time order. */
  events: LogEvent[];
  /** Exact counts of events inside [since, until], per member and kind. */
  counts: LogEventCount[];
  /** Events outside [since, until]: counted, never returned. */
  outsideWindow: { before: number; after: number };
  files: LogFileStats[];
  problems: Problem[];
  stats: LogParseStats;
  /** Local member ids (lower-case hex) by member name, where the logs name both: maps peer ids to names. */
  memberIds?: Record<string, string>;
}

export const DEFAULT_SAMPLE_PER_KIND = 50;
const FORMATS = 'zap JSON or console, capnslog, or the raft/Go/grpc loggers; bare or inside journald, CRI, docker json-file or kubectl/oc --prefix/--timestamps envelopes';
/** Files read at once: their I/O overlaps, their buffers stay few. */
const FILE_CONCURRENCY = 4;

function checkTime(d: Date | undefined, name: string): number | undefined {
  if (d === undefined) return undefined;
  const t = d.getTime();
  if (Number.isNaN(t)) throw new ConfigError(`logs: ${name} is not a valid date`);
  return t;
}

/** The line source, and every stream in its chain (pipe() does not forward errors). */
async function openInput(file: string): Promise<Readable[]> {
  if (file === '-') return [process.stdin];
  const fh = await open(file, 'r');
  try {
    if ((await fh.stat()).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (e) {
    await fh.close();
    throw e;
  }
  const stream = fh.createReadStream({ highWaterMark: 256 * 1024 });
  return file.endsWith('.gz') ? [stream.pipe(createGunzip()), stream] : [stream];
}

interface FileResult {
  stats: LogFileStats;
  problems: Problem[];
  parse: LogParseStats;
  memberIds: Record<string, string>;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());

function fileProblems(label: string, file: string, s: LogFileStats, streamError: unknown): Problem[] {
  const problem = (kind: Problem['kind'], message: string): Problem => ({ source: 'logs', kind, message, entity: file });
  const example = s.unknownExample ? `; first unknown line: "${s.unknownExample}"` : '';
  const recognised = s.events + s.ordinary;
  const out: Problem[] = [];
  // A read cut short says so; what little was read is not judged as a format.
  if (streamError) out.push(problem('partial', `reading ${label} stopped after ${plural(s.lines, 'line')}: ${describeError(streamError)}`));
  else if (s.lines === 0) out.push(problem('no-data', `log file ${label} is empty`));
  else if (recognised === 0) out.push(problem('malformed', `no etcd log line recognised in ${label} (${plural(s.lines, 'line')}); expected ${FORMATS}${example}`));
  else if (s.unknown > recognised) out.push(problem('malformed', `${s.unknown} of ${plural(s.lines, 'line')} in ${label} are not etcd log lines${example}`));
  if (s.undated) out.push(problem('partial', `${plural(s.undated, 'line')} in ${label} carry no usable time (no date, and no dated line or envelope before them): their events are not counted`));
  return out;
}

async function readOne(file: string, index: number, opts: ReadLogEventsOptions, sampler: EventSampler): Promise<FileResult> {
  const label = file === '-' ? 'standard input' : `"${file}"`;
  const empty: LogFileStats = { file, formats: [], lines: 0, events: 0, ordinary: 0, unknown: 0, outsideWindow: 0 };
  let chain: Readable[];
  try {
    chain = await openInput(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { stats: empty, problems: [{ source: 'logs', kind: 'unreachable', message: `cannot read log file ${label}: ${code ?? describeError(e)}`, entity: file }], parse: { lines: 0, parsed: 0, skipped: 0 }, memberIds: {} };
  }
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_CHARS;
  const parser = createLogParser({
    source: file,
    maxLineChars: maxLine,
    ...(opts.year ? { year: opts.year } : {}),
    ...(opts.rawChars !== undefined ? { rawChars: opts.rawChars } : {}),
  });
  // Events whose member is learned only later in the file wait under this key until the end.
  const pendingKey = `\u0000file:${index}`;
  let outsideWindow = 0;
  const take = (events: readonly LogEvent[]): void => {
    for (const e of events) if (sampler.add(e.member ?? pendingKey, e) !== 'inside') outsideWindow++;
  };
  let streamError: unknown;
  const input = chain[0] as Readable;
  const errored = new Promise<never>((_, reject) => {
    for (const s of chain) s.once('error', reject);
  });
  errored.catch(() => undefined);
  // After an error the reader may still deliver a held line; the parser has ended by then.
  let ended = false;
  try {
    await Promise.race([forEachLine(input, maxLine, (line, truncated) => {
          if (!ended) take(parser.push(line, truncated));
        }), errored]);
  } catch (e) {
    // A bad gzip or an I/O error ends the file; what was read so far still counts.
    streamError = e;
  } finally {
    for (const s of chain) if (s !== process.stdin) s.destroy();
  }
  ended = true;
  take(parser.end());
  sampler.rename(pendingKey, parser.member ?? opts.defaultMember);
  const c = parser.counters;
  const stats: LogFileStats = {
    file,
    formats: [...c.formats],
    lines: c.lines,
    events: c.events,
    ordinary: c.ordinary,
    unknown: c.unknown,
    ...(c.unknownExample !== undefined ? { unknownExample: c.unknownExample } : {}),
    outsideWindow,
    ...(c.firstTs !== undefined ? { firstTs: iso(c.firstTs) as string, lastTs: iso(c.lastTs) as string } : {}),
    ...(c.undated ? { undated: c.undated } : {}),
    ...(c.truncated ? { truncated: c.truncated } : {}),
  };
  return { stats, problems: fileProblems(label, file, stats, streamError), parse: { ...parser.stats }, memberIds: parser.memberIds() };
}

/**
 * Reads etcd logs into typed events, streaming each file line by line in bounded memory: every
 * event is counted per member and kind, and a bounded sample is kept as evidence. An unreadable
 * file, a file of foreign lines or lines without time become problems; nothing is thrown for bad
 * input, and every line is accounted for in `files`.
 */
export async function readLogEvents(opts: ReadLogEventsOptions): Promise<ReadLogEventsResult> {
  const since = checkTime(opts.since, 'since');
  const until = checkTime(opts.until, 'until');
  if (since !== undefined && until !== undefined && since > until) throw new ConfigError('logs: since is after until');
  if (opts.files.filter((f) => f === '-').length > 1) throw new ConfigError('logs: standard input (-) can be read only once');
  const perKind = opts.samplePerKind ?? DEFAULT_SAMPLE_PER_KIND;
  if (!Number.isInteger(perKind) || perKind < 0) throw new ConfigError(`logs: samplePerKind must be a whole number >= 0, got ${perKind}`);
  if (opts.maxLineBytes !== undefined && (!Number.isInteger(opts.maxLineBytes) || opts.maxLineBytes < 1024)) throw new ConfigError(`logs: maxLineBytes must be a whole number >= 1024, got ${opts.maxLineBytes}`);
  const sampler = createEventSampler({ perKind, ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) });
  const limit = pLimit(FILE_CONCURRENCY);
  const results = await Promise.all([...new Set(opts.files)].map((f, i) => limit(() => readOne(f, i, opts, sampler))));
  const stats: LogParseStats = { lines: 0, parsed: 0, skipped: 0 };
  const memberIds: Record<string, string> = {};
  for (const r of results) {
    stats.lines += r.parse.lines;
    stats.parsed += r.parse.parsed;
    stats.skipped += r.parse.skipped;
    Object.assign(memberIds, r.memberIds);
  }
  const { events, counts, outsideWindow } = sampler.result(opts.member);
  return {
    events,
    counts,
    outsideWindow,
    files: results.map((r) => r.stats),
    problems: results.flatMap((r) => r.problems),
    stats,
    ...(Object.keys(memberIds).length ? { memberIds } : {}),
  };
}

/** Total events of a kind in a result's exact counts (across members). */
export function countOf(result: Pick<ReadLogEventsResult, 'counts'>, kind: LogEventKind, member?: string): number {
  return result.counts.filter((c) => c.kind === kind && (member === undefined || c.member === member)).reduce((n, c) => n + c.count, 0);
}
