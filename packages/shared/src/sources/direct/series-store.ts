import { parseDuration, type Aggregation, type LeafExpr, type Matcher } from '../../catalog/index.ts';
import type { Exposition } from './parse-exposition.ts';
import { seriesKey } from './parse-exposition.ts';
import { histogramQuantile } from './quantile.ts';

/** One value per label set kept by a leaf's `by` (the key joins those labels' values). */
export type Vector = Map<string, { labels: Readonly<Record<string, string>>; value: number }>;

/** A restart shows as a newer process start time; a counter that drops without one is suspect. */
const START_TIME = 'process_start_time_seconds';

/**
 * What the store remembers of one series: its samples inside the longest rolling window (time
 * and reset-adjusted cumulative value, so any window's increase is one subtraction), its latest
 * raw value for gauges, and its first sample in the analysis range for whole-window leaves.
 */
interface SeriesState {
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ts: number[];
  readonly cs: number[];
  head: number;
  raw: number;
  lastT: number;
  rangeFirstT: number;
  rangeFirstC: number;
  /** Decreases not explained by a restart of the target's process. */
  backwards: number;
  /** Read as a counter by some leaf (a veth the matchers leave out may reset as it likes). */
  readonly counted: boolean;
}

interface LeafState {
  readonly leaf: LeafExpr;
  readonly test: (labels: Readonly<Record<string, string>>) => boolean;
  /** Seconds of a rolling window; undefined for a gauge, 'range' for the whole analysis window. */
  readonly window: number | 'range' | undefined;
  readonly series: SeriesState[];
}

function compile(ms: readonly Matcher[]): (labels: Readonly<Record<string, string>>) => boolean {
  const tests = ms.map((m) => {
    const re = m.op === '=~' || m.op === '!~' ? new RegExp(`^(?:${m.value})$`) : undefined;
    return (labels: Readonly<Record<string, string>>): boolean => {
      const v = labels[m.label] ?? '';
      switch (m.op) {
        case '=':
          return v === m.value;
        case '!=':
          return v !== m.value;
        case '=~':
          return (re as RegExp).test(v);
        case '!~':
          return !(re as RegExp).test(v);
      }
    };
  });
  return (labels) => tests.every((t) => t(labels));
}

function aggregate(values: readonly number[], agg: Aggregation): number {
  // A loop, not Math.max(...values): a spread of a large array overflows the call stack.
  let acc = agg === 'min' ? Infinity : agg === 'max' ? -Infinity : 0;
  for (const v of values) acc = agg === 'min' ? Math.min(acc, v) : agg === 'max' ? Math.max(acc, v) : acc + v;
  if (agg === 'count') return values.length;
  return agg === 'avg' ? acc / values.length : acc;
}

const pick = (labels: Readonly<Record<string, string>>, by: readonly string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const k of by) out[k] = labels[k] ?? '';
  return out;
};
const byKey = (labels: Readonly<Record<string, string>>, by: readonly string[]): string => by.map((k) => labels[k] ?? '').join('\u0000');

/** Aggregates per label set of `by`, as `agg by (entity, ...by)` does. */
function grouped(items: ReadonlyArray<{ labels: Readonly<Record<string, string>>; value: number }>, by: readonly string[], agg: Aggregation): Vector {
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const it of items) {
    const k = byKey(it.labels, by);
    const g = groups.get(k);
    if (g) g.values.push(it.value);
    else groups.set(k, { labels: pick(it.labels, by), values: [it.value] });
  }
  const out: Vector = new Map();
  for (const [k, g] of groups) out.set(k, { labels: g.labels, value: aggregate(g.values, agg) });
  return out;
}

/** Index of the first sample at or after `from` (samples are in time order). */
function firstFrom(s: SeriesState, from: number): number {
  let lo = s.head;
  let hi = s.ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((s.ts[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The samples of one target that the catalog reads, kept as running state: each scrape is added
 * once, and a value at the latest scrape costs one pass over the leaf's series, whatever the
 * length of the collection. Only the families the leaves name are kept, and of each series only
 * the samples inside the longest rolling window, so memory does not grow with the duration.
 */
export class SeriesStore {
  readonly #leaves = new Map<LeafExpr, LeafState>();
  readonly #byName = new Map<string, { series: Map<string, SeriesState>; leaves: LeafState[]; retention: number }>();
  #rangeStart: number;
  #lastT = Number.NaN;
  #startTime: number | undefined;

  constructor(leaves: readonly LeafExpr[], rangeStart: number) {
    this.#rangeStart = rangeStart;
    for (const leaf of leaves) {
      if (this.#leaves.has(leaf)) continue;
      const window = leaf.kind === 'gauge' ? undefined : leaf.window === 'range' ? 'range' : parseDuration(leaf.window);
      const state: LeafState = { leaf, test: compile(leaf.matchers ?? []), window, series: [] };
      this.#leaves.set(leaf, state);
      const name = leaf.kind === 'quantile' ? `${leaf.metric}_bucket` : leaf.metric;
      const entry = this.#byName.get(name) ?? { series: new Map<string, SeriesState>(), leaves: [] as LeafState[], retention: 0 };
      entry.leaves.push(state);
      // A family keeps the samples of its longest rolling window; gauges need only the latest.
      if (typeof window === 'number') entry.retention = Math.max(entry.retention, window);
      this.#byName.set(name, entry);
    }
  }

  /** Whether a sample name is read by some leaf (the parser keeps only these). */
  wants(name: string): boolean {
    return name === START_TIME || this.#byName.has(name);
  }

  /** Time of the latest scrape added. */
  get lastT(): number {
    return this.#lastT;
  }

  /**
   * Starts a new whole-window range at `t` (a collector's next tick): each series' baseline is
   * its latest sample, so what happens between two ticks counts in the next one.
   */
  startRange(t: number): void {
    this.#rangeStart = t;
    for (const entry of this.#byName.values()) {
      for (const s of entry.series.values()) {
        if (s.ts.length === 0) continue;
        s.rangeFirstT = s.ts[s.ts.length - 1] as number;
        s.rangeFirstC = s.cs[s.cs.length - 1] as number;
      }
    }
  }

  /** Adds one successful scrape taken at `t` (unix seconds); scrapes come in time order. */
  add(t: number, exposition: Exposition): void {
    const start = exposition.samples.get(START_TIME)?.[0]?.value;
    const restarted = start !== undefined && this.#startTime !== undefined && start > this.#startTime;
    if (start !== undefined) this.#startTime = start;
    this.#lastT = t;
    for (const [name, entry] of this.#byName) {
      for (const sample of exposition.samples.get(name) ?? []) {
        if (Number.isNaN(sample.value)) continue;
        const key = seriesKey(name, sample.labels);
        let s = entry.series.get(key);
        if (!s) {
          const readers = entry.leaves.filter((leaf) => leaf.test(sample.labels));
          s = { key, labels: sample.labels, ts: [], cs: [], head: 0, raw: sample.value, lastT: t, rangeFirstT: Number.NaN, rangeFirstC: Number.NaN, backwards: 0, counted: readers.some((leaf) => leaf.window !== undefined) };
          entry.series.set(key, s);
          for (const leaf of readers) leaf.series.push(s);
          this.#append(s, t, sample.value, entry.retention);
          continue;
        }
        const v = sample.value;
        if (s.counted && v < s.raw && !restarted) s.backwards++;
        // A decrease is a counter reset, as in PromQL: the new value is all increase.
        this.#append(s, t, (s.cs[s.cs.length - 1] as number) + (v >= s.raw ? v - s.raw : v), entry.retention);
        s.raw = v;
        s.lastT = t;
      }
    }
  }

  #append(s: SeriesState, t: number, c: number, retention: number): void {
    s.ts.push(t);
    s.cs.push(c);
    if (Number.isNaN(s.rangeFirstT) && t >= this.#rangeStart) {
      s.rangeFirstT = t;
      s.rangeFirstC = c;
    }
    while (s.head < s.ts.length - 1 && (s.ts[s.head] as number) < t - retention) s.head++;
    if (s.head > 256 && s.head * 2 > s.ts.length) {
      s.ts.splice(0, s.head);
      s.cs.splice(0, s.head);
      s.head = 0;
    }
  }

  /** Series (by `name{labels}`) read as counters that went backwards at least `min` times without a restart. */
  suspectCounters(min: number): Array<{ series: string; times: number }> {
    const out: Array<{ series: string; times: number }> = [];
    for (const entry of this.#byName.values()) for (const s of entry.series.values()) if (s.backwards >= min) out.push({ series: s.key, times: s.backwards });
    return out;
  }

  /** One leaf's per-label-set values at `at` (the latest scrape or later), with PromQL's semantics. */
  leafVector(leaf: LeafExpr, at: number, staleness: number): Vector {
    const state = this.#leaves.get(leaf);
    if (!state) throw new Error(`leaf ${leaf.metric} was not given to the store`);
    const by = leaf.by ?? [];
    if (leaf.kind === 'gauge') {
      // Only series of the latest scrape, and only while it is fresh: a vanished series has no value.
      const items = state.series.filter((s) => s.lastT === this.#lastT && at - s.lastT <= staleness).map((s) => ({ labels: s.labels, value: s.raw }));
      return grouped(items, by, leaf.agg ?? 'sum');
    }
    const from = state.window === 'range' ? this.#rangeStart : at - (state.window as number);
    const increases: Array<{ labels: Readonly<Record<string, string>>; value: number; seconds: number }> = [];
    for (const s of state.series) {
      const last = s.ts.length - 1;
      const first = state.window === 'range' ? undefined : firstFrom(s, from);
      const t0 = first === undefined ? s.rangeFirstT : (s.ts[first] as number);
      const c0 = first === undefined ? s.rangeFirstC : (s.cs[first] as number);
      const t1 = s.ts[last] as number;
      // Two samples at least, as PromQL needs for a rate.
      if (!(t1 > t0) || t1 > at) continue;
      increases.push({ labels: s.labels, value: (s.cs[last] as number) - c0, seconds: t1 - t0 });
    }
    if (leaf.kind !== 'quantile') {
      return grouped(increases.map((x) => ({ labels: x.labels, value: leaf.kind === 'rate' ? x.value / x.seconds : x.value })), by, leaf.agg ?? 'sum');
    }
    const perGroup = new Map<string, { labels: Record<string, string>; byLe: Map<number, number> }>();
    for (const x of increases) {
      const k = byKey(x.labels, by);
      let g = perGroup.get(k);
      if (!g) perGroup.set(k, (g = { labels: pick(x.labels, by), byLe: new Map() }));
      const le = /^\+?inf$/i.test(x.labels.le ?? '') ? Infinity : Number(x.labels.le);
      g.byLe.set(le, (g.byLe.get(le) ?? 0) + x.value);
    }
    const out: Vector = new Map();
    for (const [k, g] of perGroup) {
      const q = histogramQuantile(leaf.q, g.byLe);
      if (q !== undefined) out.set(k, { labels: g.labels, value: q });
    }
    return out;
  }
}
