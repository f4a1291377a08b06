/**
 * What happened to every line of one input, so nothing is dropped silently: each non-blank line
 * is exactly one of `events`, `ordinary` or `unknown` (the pieces of a joined CRI/docker line or
 * of a journald json-pretty object all count as the record they make up).
 */
export interface LogFileCounters {
  /** Envelopes and etcd formats seen, in the order first seen. */
  readonly formats: Set<string>;
  lines: number;
  /** Lines that made at least one event. */
  events: number;
  /** etcd lines in a known format that are no event (info lines, or news already told). */
  ordinary: number;
  /** Lines in no format this reader knows. */
  unknown: number;
  /** The first unknown line, cut and without control characters. */
  unknownExample?: string;
  /** Lines in a known format without a usable time (counted as ordinary; their events cannot be placed in time). */
  undated: number;
  /** Lines cut at the length cap before parsing. */
  truncated: number;
  /** Epoch milliseconds of the earliest and latest dated line. */
  firstTs?: number;
  lastTs?: number;
}

export function createFileCounters(): LogFileCounters {
  return { formats: new Set(), lines: 0, events: 0, ordinary: 0, unknown: 0, undated: 0, truncated: 0 };
}

const EXAMPLE_CHARS = 200;
// ANSI escape sequences (colours, cursor moves) and other C0/C1 control characters: matching them is the point.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A line fit to quote in a message: no escapes or control characters, tabs as spaces, cut short. */
export function cleanExample(raw: string): string {
  const head = raw.length > EXAMPLE_CHARS * 4 ? raw.slice(0, EXAMPLE_CHARS * 4) : raw;
  const clean = head.replace(ANSI, '').replace(/\t/g, ' ').replace(CONTROL, '').trim();
  return clean.length > EXAMPLE_CHARS ? `${clean.slice(0, EXAMPLE_CHARS)}…` : clean;
}
