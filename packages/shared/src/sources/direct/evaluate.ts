import { leaves, type Expr } from '../../catalog/index.ts';
import type { Exposition } from './parse-exposition.ts';
import { SeriesStore, type Vector } from './series-store.ts';

/** Successful scrapes of one target, in time order (failed scrapes are absent: gaps). */
export interface TargetScrapes {
  readonly entity: string;
  readonly scope: 'member' | 'node';
  readonly scrapes: ReadonlyArray<{ readonly t: number; readonly data: Exposition }>;
}

function evalVector(e: Expr, store: SeriesStore, at: number, staleness: number): Vector | number {
  if (e.kind === 'scalar') return e.value;
  if (e.kind !== 'binary') return store.leafVector(e, at, staleness);
  const l = evalVector(e.left, store, at, staleness);
  const r = evalVector(e.right, store, at, staleness);
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
 * Values of an expression at `at` from a store whose latest scrape is at or before `at`, one per
 * label set its `by` keeps, with PromQL's semantics (expr.ts). Rates divide by the time between
 * the first and last sample in the window; PromQL also extrapolates to the window edges, so a
 * young series reads higher here than in Prometheus.
 */
export function evaluateStore(e: Expr, store: SeriesStore, at: number, staleness: number): Array<{ labels: Readonly<Record<string, string>>; value: number }> {
  const v = evalVector(e, store, at, staleness);
  if (typeof v === 'number') return Number.isFinite(v) ? [{ labels: {}, value: v }] : [];
  const out: Array<{ labels: Readonly<Record<string, string>>; value: number }> = [];
  for (const x of v.values()) if (Number.isFinite(x.value)) out.push(x);
  return out;
}

/** The same values from a list of scrapes (the scrapes at or before `at` are replayed into a store). */
export function evaluateVectorAt(e: Expr, target: TargetScrapes, at: number, rangeStart: number, staleness: number): Array<{ labels: Readonly<Record<string, string>>; value: number }> {
  const store = new SeriesStore(leaves(e), rangeStart);
  for (const s of target.scrapes) if (s.t <= at) store.add(s.t, s.data);
  return evaluateStore(e, store, at, staleness);
}

/** The single value of an expression that keeps no labels besides the entity. */
export function evaluateAt(e: Expr, target: TargetScrapes, at: number, rangeStart: number, staleness: number): number | undefined {
  return evaluateVectorAt(e, target, at, rangeStart, staleness)[0]?.value;
}
