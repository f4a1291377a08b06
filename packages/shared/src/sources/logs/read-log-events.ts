import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ConfigError, describeError } from '../../errors/index.ts';
import type { LogEvent, Problem } from '../../schema/index.ts';
import { createLogParser, type LogParseStats } from './parser.ts';

export interface ReadLogEventsOptions {
  /** Log files to read; `-` reads standard input. Files ending in `.gz` are decompressed. */
  readonly files: readonly string[];
  /** Keep only events at or after this time. */
  readonly since?: Date;
  /** Keep only events at or before this time. */
  readonly until?: Date;
  /** Keep only events of this member (as resolved from envelopes, lines or file names). */
  readonly member?: string;
  /** Member name for events whose lines and file name name none (e.g. a log piped on stdin). */
  readonly defaultMember?: string;
  /** Year for journald short timestamps, which carry none. */
  readonly year?: number;
  /** Longest `raw` line kept per event (400 by default, 0 for none). */
  readonly rawChars?: number;
}

export interface ReadLogEventsResult {
  /** Events in time order. */
  events: LogEvent[];
  problems: Problem[];
  stats: LogParseStats;
}

const FORMATS = 'zap JSON or capnslog, bare or inside journald, CRI, docker json-file or kubectl --prefix/--timestamps envelopes';

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
  const stream = fh.createReadStream();
  return file.endsWith('.gz') ? [stream.pipe(createGunzip()), stream] : [stream];
}

interface FileResult {
  events: LogEvent[];
  problems: Problem[];
  stats: LogParseStats;
}

async function readOne(file: string, opts: ReadLogEventsOptions): Promise<FileResult> {
  const label = file === '-' ? 'standard input' : `"${file}"`;
  let chain: Readable[];
  try {
    chain = await openInput(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    return {
      events: [],
      problems: [{ source: 'logs', kind: 'unreachable', message: `cannot read log file ${label}: ${code ?? describeError(e)}`, entity: file }],
      stats: { lines: 0, parsed: 0, skipped: 0 },
    };
  }
  const parser = createLogParser({
    source: file,
    ...(opts.year ? { year: opts.year } : {}),
    ...(opts.rawChars !== undefined ? { rawChars: opts.rawChars } : {}),
  });
  const events: LogEvent[] = [];
  const problems: Problem[] = [];
  let streamError: unknown;
  const input = chain[0] as Readable;
  const rl = createInterface({ input, crlfDelay: Infinity });
  const stop = (e: unknown): void => {
    streamError ??= e;
    rl.close();
  };
  for (const s of chain) s.once('error', stop);
  try {
    for await (const line of rl) for (const e of parser.push(line)) events.push(e);
  } catch (e) {
    // A bad gzip or an I/O error ends the file; what was read so far still counts.
    streamError ??= e;
  } finally {
    for (const s of chain) if (s !== process.stdin) s.destroy();
  }
  for (const e of parser.end()) events.push(e);
  // Lines before the one that named the member (a startup line, a local-member-id) get it too.
  const member = parser.member ?? opts.defaultMember;
  if (member) for (const e of events) e.member ??= member;
  const { lines, parsed, skipped } = parser.stats;
  if (streamError) problems.push({ source: 'logs', kind: 'partial', message: `reading ${label} stopped after ${lines} lines: ${describeError(streamError)}`, entity: file });
  else if (lines === 0) problems.push({ source: 'logs', kind: 'no-data', message: `log file ${label} is empty`, entity: file });
  else if (parsed === 0) problems.push({ source: 'logs', kind: 'malformed', message: `no etcd log line recognised in ${label} (${lines} lines); expected ${FORMATS}`, entity: file });
  else if (skipped > parsed) problems.push({ source: 'logs', kind: 'malformed', message: `${skipped} of ${lines} lines in ${label} are not etcd log lines`, entity: file });
  return { events, problems, stats: { lines, parsed, skipped } };
}

/**
 * Reads etcd logs into typed events, streaming each file line by line. An unreadable file or a
 * file of foreign lines becomes a problem; malformed lines are counted, never thrown. Only
 * events are returned: ordinary info lines are parsed and dropped.
 */
export async function readLogEvents(opts: ReadLogEventsOptions): Promise<ReadLogEventsResult> {
  const since = checkTime(opts.since, 'since');
  const until = checkTime(opts.until, 'until');
  if (since !== undefined && until !== undefined && since > until) throw new ConfigError('logs: since is after until');
  if (opts.files.filter((f) => f === '-').length > 1) throw new ConfigError('logs: standard input (-) can be read only once');
  // Files are independent streams; reading them together overlaps their I/O.
  const results = await Promise.all([...new Set(opts.files)].map((f) => readOne(f, opts)));
  const stats: LogParseStats = { lines: 0, parsed: 0, skipped: 0 };
  const problems: Problem[] = [];
  let events: LogEvent[] = [];
  for (const r of results) {
    stats.lines += r.stats.lines;
    stats.parsed += r.stats.parsed;
    stats.skipped += r.stats.skipped;
    problems.push(...r.problems);
    for (const e of r.events) events.push(e);
  }
  events = events.filter((e) => {
    const t = Date.parse(e.ts);
    return (since === undefined || t >= since) && (until === undefined || t <= until) && (opts.member === undefined || e.member === opts.member);
  });
  events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return { events, problems, stats };
}
