import { LOG_EVENT_KINDS, type LogEvent, type LogEventKind } from '../../schema/index.ts';

/**
 * Exact counts of events per (member, kind) and a bounded sample of them as evidence, whatever the
 * number of events: per (member, kind) the earliest, the latest and the longest few are kept
 * (by time and duration, not arrival order, so files read side by side sample the same).
 */
export interface LogEventCount {
  /** The local member; null when no line, path or option named it. */
  member: string | null;
  kind: LogEventKind;
  count: number;
  /** ISO-8601 UTC of the first and last event counted. */
  firstTs: string;
  lastTs: string;
  /** The longest duration among the events, when they measure one. */
  maxDurationMs?: number;
}

export type WindowSide = 'inside' | 'before' | 'after';

export interface EventSampler {
  /** Counts an event under a member key and keeps it if it belongs to the sample; says where it fell relative to the window. */
  add(key: string, e: LogEvent): WindowSide;
  /** Moves all that was counted under `from` to the member `to` (a file's member became known at its end). */
  rename(from: string, to: string | undefined): void;
  result(member?: string): { events: LogEvent[]; counts: LogEventCount[]; outsideWindow: { before: number; after: number } };
}

/** Key for events no line, path or option attributes to a member. */
export const NO_MEMBER = '\u0000';

interface Kept {
  readonly t: number;
  readonly d: number;
  /** Arrival order: ties in time keep the order of the log (etcd logs at millisecond or second resolution). */
  readonly seq: number;
  readonly e: LogEvent;
}

interface Bucket {
  count: number;
  first: number;
  last: number;
  maxDurationMs?: number;
  earliest: Kept[];
  latest: Kept[];
  longest: Kept[];
}

/** Inserts into a list kept ascending by `cmp` and to `cap` items, dropping the lowest (`keepHigh`) or the highest. */
function insertBounded(list: Kept[], item: Kept, cap: number, cmp: (a: Kept, b: Kept) => number, keepHigh: boolean): void {
  if (cap <= 0) return;
  if (list.length >= cap && (keepHigh ? cmp(item, list[0] as Kept) < 0 : cmp(item, list[list.length - 1] as Kept) >= 0)) return;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(list[mid] as Kept, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
  if (list.length > cap) {
    if (keepHigh) list.shift();
    else list.pop();
  }
}

const byTime = (a: Kept, b: Kept): number => a.t - b.t || a.seq - b.seq;
// Equally long events: the later one is the better evidence, whatever order the files were read in.
const byDuration = (a: Kept, b: Kept): number => a.d - b.d || a.t - b.t || a.seq - b.seq;
const KIND_ORDER = new Map<string, number>(LOG_EVENT_KINDS.map((k, i) => [k, i]));

export function createEventSampler(opts: { perKind: number; since?: number; until?: number }): EventSampler {
  const perKind = Math.max(0, Math.floor(opts.perKind));
  // Of every (member, kind): a fifth the earliest, a fifth the longest, the rest the most recent.
  const earliestCap = Math.floor(perKind / 5);
  const longestCap = Math.floor(perKind / 5);
  const latestCap = perKind - earliestCap - longestCap;
  const members = new Map<string, Map<LogEventKind, Bucket>>();
  const outside = new Map<string, { before: number; after: number }>();
  let seq = 0;

  function place(bucket: Bucket, k: Kept): void {
    insertBounded(bucket.earliest, k, earliestCap, byTime, false);
    insertBounded(bucket.latest, k, latestCap, byTime, true);
    if (k.e.durationMs !== undefined) insertBounded(bucket.longest, k, longestCap, byDuration, true);
  }

  function bucketOf(key: string, kind: LogEventKind, t: number): Bucket {
    let kinds = members.get(key);
    if (!kinds) members.set(key, (kinds = new Map()));
    let b = kinds.get(kind);
    if (!b) kinds.set(kind, (b = { count: 0, first: t, last: t, earliest: [], latest: [], longest: [] }));
    return b;
  }

  return {
    add(key, e) {
      const t = Date.parse(e.ts);
      const side: WindowSide = opts.since !== undefined && t < opts.since ? 'before' : opts.until !== undefined && t > opts.until ? 'after' : 'inside';
      if (side !== 'inside') {
        const o = outside.get(key) ?? { before: 0, after: 0 };
        o[side]++;
        outside.set(key, o);
        return side;
      }
      const b = bucketOf(key, e.kind, t);
      b.count++;
      b.first = Math.min(b.first, t);
      b.last = Math.max(b.last, t);
      if (e.durationMs !== undefined) b.maxDurationMs = Math.max(b.maxDurationMs ?? e.durationMs, e.durationMs);
      place(b, { t, d: e.durationMs ?? 0, seq: seq++, e });
      return side;
    },
    rename(from, to) {
      const target = to ?? NO_MEMBER;
      if (from === target) return;
      const o = outside.get(from);
      if (o) {
        const t = outside.get(target) ?? { before: 0, after: 0 };
        outside.set(target, { before: t.before + o.before, after: t.after + o.after });
        outside.delete(from);
      }
      const kinds = members.get(from);
      if (!kinds) return;
      members.delete(from);
      for (const [kind, src] of kinds) {
        const dst = bucketOf(target, kind, src.first);
        dst.count += src.count;
        dst.first = Math.min(dst.first, src.first);
        dst.last = Math.max(dst.last, src.last);
        if (src.maxDurationMs !== undefined) dst.maxDurationMs = Math.max(dst.maxDurationMs ?? src.maxDurationMs, src.maxDurationMs);
        for (const k of new Set([...src.earliest, ...src.latest, ...src.longest])) {
          if (to !== undefined) k.e.member = to;
          place(dst, k);
        }
      }
    },
    result(member) {
      const kept = new Set<Kept>();
      const counts: LogEventCount[] = [];
      const outsideWindow = { before: 0, after: 0 };
      for (const [key, o] of outside) {
        if (member !== undefined && key !== member) continue;
        outsideWindow.before += o.before;
        outsideWindow.after += o.after;
      }
      for (const [key, kinds] of members) {
        if (member !== undefined && key !== member) continue;
        for (const [kind, b] of kinds) {
          for (const list of [b.earliest, b.latest, b.longest]) for (const k of list) kept.add(k);
          counts.push({
            member: key === NO_MEMBER ? null : key,
            kind,
            count: b.count,
            firstTs: new Date(b.first).toISOString(),
            lastTs: new Date(b.last).toISOString(),
            ...(b.maxDurationMs !== undefined ? { maxDurationMs: b.maxDurationMs } : {}),
          });
        }
      }
      counts.sort((a, b) => (a.member ?? '').localeCompare(b.member ?? '') || (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0));
      const events = [...kept].sort((a, b) => a.t - b.t || a.seq - b.seq).map((k) => k.e);
      return { events, counts, outsideWindow };
    },
  };
}
