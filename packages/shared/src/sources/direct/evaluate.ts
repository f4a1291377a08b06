import { parseDuration, type Aggregation, type Expr, type LeafExpr, type Matcher } from '../../catalog/index.ts';
import type { Exposition, Sample } from './parse.ts';
import { histogramQuantile } from './quantile.ts';

/** Successful scrapes of one target, in time order (failed scrapes are absent: gaps). */
export interface TargetScrapes {
  readonly entity: string;
  readonly scope: 'member' | 'node';
  readonly scrapes: ReadonlyArray<{ readonly t: number; readonly data: Exposition }>;
}

function matches(labels: Readonly<Record<string, string>>, m: Matcher): boolean {
  const v = labels[m.label] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

const select = (data: Exposition, name: string, ms: readonly Matcher[]): readonly Sample[] => (data.get(name) ?? []).filter((s) => ms.every((m) => matches(s.labels, m)));
const key = (labels: Readonly<Record<string, string>>, drop?: string): string =>
  Object.keys(labels).filter((k) => k !== drop).sort().map((k) => `${k}=${labels[k]}`).join(',');

function aggregate(values: number[], agg: Aggregation): number | undefined {
  if (values.length === 0) return undefined;
  switch (agg) {
    case 'sum':
      return values.reduce((a, v) => a + v, 0);
    case 'avg':
      return values.reduce((a, v) => a + v, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'count':
      return values.length;
  }
}

/** Increase of each series over the scrapes, treating a decrease as a counter restart (as Prometheus does). */
function increases(scrapes: TargetScrapes['scrapes'], name: string, ms: readonly Matcher[], drop?: string): Map<string, { inc: number; labels: Readonly<Record<string, string>>; first: number; last: number }> {
  const out = new Map<string, { inc: number; prev: number; labels: Readonly<Record<string, string>>; first: number; last: number }>();
  for (const s of scrapes) {
    for (const sample of select(s.data, name, ms)) {
      const k = key(sample.labels, drop);
      const cur = out.get(k);
      if (!cur) out.set(k, { inc: 0, prev: sample.value, labels: sample.labels, first: s.t, last: s.t });
      else {
        cur.inc += sample.value >= cur.prev ? sample.value - cur.prev : sample.value;
        cur.prev = sample.value;
        cur.last = s.t;
      }
    }
  }
  return out;
}

/** One value per label set kept by `by` (the key joins those labels' values). */
type Vector = Map<string, { labels: Readonly<Record<string, string>>; value: number }>;

const pick = (labels: Readonly<Record<string, string>>, by: readonly string[]): Record<string, string> => Object.fromEntries(by.map((k) => [k, labels[k] ?? '']));
const byKey = (labels: Readonly<Record<string, string>>, by: readonly string[]): string => by.map((k) => labels[k] ?? '').join('\u0000');

/** Aggregates per label set of `by`, as `agg by (entity, ...by)` does. */
function grouped(items: ReadonlyArray<{ labels: Readonly<Record<string, string>>; value: number }>, by: readonly string[], agg: Aggregation): Vector {
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const it of items) {
    const k = byKey(it.labels, by);
    const g = groups.get(k) ?? { labels: pick(it.labels, by), values: [] };
    g.values.push(it.value);
    groups.set(k, g);
  }
  const out: Vector = new Map();
  for (const [k, g] of groups) {
    const v = aggregate(g.values, agg);
    if (v !== undefined) out.set(k, { labels: g.labels, value: v });
  }
  return out;
}

function leafVector(leaf: LeafExpr, target: TargetScrapes, at: number, rangeStart: number, staleness: number): Vector {
  const ms = leaf.matchers ?? [];
  const by = leaf.by ?? [];
  if (leaf.kind === 'gauge') {
    const s = [...target.scrapes].reverse().find((x) => x.t <= at);
    if (!s || at - s.t > staleness) return new Map();
    return grouped(select(s.data, leaf.metric, ms), by, leaf.agg ?? 'sum');
  }
  const from = leaf.window === 'range' ? rangeStart : at - parseDuration(leaf.window);
  const inWindow = target.scrapes.filter((x) => x.t >= from && x.t <= at);
  if (inWindow.length < 2) return new Map();
  if (leaf.kind === 'quantile') {
    const perGroup = new Map<string, { labels: Record<string, string>; byLe: Map<number, number> }>();
    for (const v of increases(inWindow, `${leaf.metric}_bucket`, ms).values()) {
      if (v.first === v.last) continue;
      const k = byKey(v.labels, by);
      const g = perGroup.get(k) ?? { labels: pick(v.labels, by), byLe: new Map<number, number>() };
      const le = Number(v.labels.le === '+Inf' ? Infinity : v.labels.le);
      g.byLe.set(le, (g.byLe.get(le) ?? 0) + v.inc);
      perGroup.set(k, g);
    }
    const out: Vector = new Map();
    for (const [k, g] of perGroup) {
      const q = histogramQuantile(leaf.q, g.byLe);
      if (q !== undefined) out.set(k, { labels: g.labels, value: q });
    }
    return out;
  }
  const per = [...increases(inWindow, leaf.metric, ms).values()].filter((v) => v.last > v.first);
  return grouped(per.map((v) => ({ labels: v.labels, value: leaf.kind === 'rate' ? v.inc / (v.last - v.first) : v.inc })), by, leaf.agg ?? 'sum');
}

function evalVector(e: Expr, target: TargetScrapes, at: number, rangeStart: number, staleness: number): Vector | number {
  if (e.kind === 'scalar') return e.value;
  if (e.kind !== 'binary') return leafVector(e, target, at, rangeStart, staleness);
  const l = evalVector(e.left, target, at, rangeStart, staleness);
  const r = evalVector(e.right, target, at, rangeStart, staleness);
  const op = (a: number, b: number): number | undefined => (e.op === '/' ? (b === 0 ? undefined : a / b) : e.op === '+' ? a + b : e.op === '-' ? a - b : a * b);
  if (typeof l === 'number' && typeof r === 'number') return op(l, r) ?? Number.NaN;
  const out: Vector = new Map();
  // One-to-one on the kept labels; a side that is missing yields no value (never 0).
  const keys = typeof l === 'number' ? (r as Vector).keys() : l.keys();
  for (const k of keys) {
    const a = typeof l === 'number' ? l : l.get(k)?.value;
    const b = typeof r === 'number' ? r : r.get(k)?.value;
    const labels = (typeof l === 'number' ? undefined : l.get(k)?.labels) ?? (typeof r === 'number' ? undefined : r.get(k)?.labels) ?? {};
    if (a === undefined || b === undefined) continue;
    const v = op(a, b);
    if (v !== undefined) out.set(k, { labels, value: v });
  }
  return out;
}

/**
 * Values of an expression for one target at `at`, one per label set its `by` keeps, with
 * PromQL's semantics (expr.ts) computed from raw scrapes. Rates divide by the time between the
 * first and last sample in the window; PromQL also extrapolates to the window edges, so a young
 * series reads higher here than in Prometheus.
 */
export function evaluateVectorAt(e: Expr, target: TargetScrapes, at: number, rangeStart: number, staleness: number): Array<{ labels: Readonly<Record<string, string>>; value: number }> {
  const v = evalVector(e, target, at, rangeStart, staleness);
  if (typeof v === 'number') return Number.isFinite(v) ? [{ labels: {}, value: v }] : [];
  return [...v.values()].filter((x) => Number.isFinite(x.value));
}

/** The single value of an expression that keeps no labels besides the entity. */
export function evaluateAt(e: Expr, target: TargetScrapes, at: number, rangeStart: number, staleness: number): number | undefined {
  return evaluateVectorAt(e, target, at, rangeStart, staleness)[0]?.value;
}
