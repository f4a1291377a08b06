import type { LogEventKind } from '../../schema/index.ts';
import { parseDuration, type IntegerDurationUnit } from './duration.ts';
import type { EtcdRecord } from './records.ts';

/**
 * What one etcd record means: an event candidate (`Classified`), or a `Signal` that only moves
 * the state of its member's stream (a peer starting or stopping, a raft term, a process start).
 * Whether a candidate becomes an event can depend on earlier lines: see member-stream.ts.
 */
export type Detail = Record<string, string | number | boolean>;

export interface Classified {
  readonly kind: LogEventKind;
  readonly durationMs?: number;
  readonly expectedMs?: number;
  readonly detail?: Detail;
  /** Level to report when the line carries none (journald-wrapped capnslog). */
  readonly level?: string;
  /** The remote member, normalised (hex id without leading zeros, or a host). */
  readonly peer?: string;
}

export type Signal =
  | { readonly signal: 'process-start' }
  | { readonly signal: 'peer-start'; readonly peer: string }
  | { readonly signal: 'peer-stop'; readonly peer: string }
  | { readonly signal: 'raft-term'; readonly localId: string; readonly term: number };

export type Reading = Classified | Signal;

export const isSignal = (r: Reading): r is Signal => 'signal' in r;

export type Fields = Readonly<Record<string, unknown>>;

/** Per-record helpers: durations read in the log's own numeric unit. */
export interface ClassifyContext {
  readonly integerDurations: IntegerDurationUnit;
}

export type Rule = (msg: string, f: Fields, r: EtcdRecord, ctx: ClassifyContext) => Reading | undefined;

const MAX_DETAIL_CHARS = 300;

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > MAX_DETAIL_CHARS ? `${v.slice(0, MAX_DETAIL_CHARS)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Keeps only present, printable values. */
export function detail(entries: Record<string, unknown>): Detail | undefined {
  const out: Detail = {};
  for (const [k, v] of Object.entries(entries)) {
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) out[k] = v;
    } else if (typeof v === 'boolean') out[k] = v;
    else {
      const s = str(v);
      if (s !== undefined) out[k] = s;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

export function event(kind: LogEventKind, parts: { durationMs?: number | undefined; expectedMs?: number | undefined; detail?: Detail | undefined; level?: string; peer?: string | undefined } = {}): Classified {
  return {
    kind,
    ...(parts.durationMs !== undefined ? { durationMs: parts.durationMs } : {}),
    ...(parts.expectedMs !== undefined ? { expectedMs: parts.expectedMs } : {}),
    ...(parts.detail ? { detail: parts.detail } : {}),
    ...(parts.level ? { level: parts.level } : {}),
    ...(parts.peer ? { peer: parts.peer } : {}),
  };
}

export const dur = (v: unknown, ctx: ClassifyContext): number | undefined => parseDuration(v, ctx.integerDurations);

export const intOf = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : Number(s));

const HEX_ID = /^(?:0x)?([0-9a-fA-F]{1,16})$/;

/** A member id as etcd's types.ID.String() prints it: lower-case hex without leading zeros. */
export function memberId(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = HEX_ID.exec(v.trim());
  if (!m) return undefined;
  const id = (m[1] as string).toLowerCase().replace(/^0+(?=.)/, '');
  return id;
}

/** The host of "host:port", "[v6]:port" or a URL; the port of an incoming connection is ephemeral. */
export function hostOf(addr: unknown): string | undefined {
  if (typeof addr !== 'string' || !addr) return undefined;
  const noScheme = addr.replace(/^[a-z][\w+.-]*:\/\//i, '').replace(/\/.*$/, '');
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(noScheme);
  if (v6) return v6[1];
  const m = /^([^:]+):\d+$/.exec(noScheme);
  return m ? m[1] : noScheme;
}
