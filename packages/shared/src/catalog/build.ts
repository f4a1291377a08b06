import type { Aggregation, Expr, Matcher, SelectorKind, Window } from './expr.ts';

/** Terse constructors for the catalog table; they only build data. */

interface LeafOptions {
  readonly matchers?: readonly Matcher[];
  readonly agg?: Aggregation;
  readonly selector?: SelectorKind;
  readonly by?: readonly string[];
}

function opts(o: LeafOptions): LeafOptions {
  const out: { matchers?: readonly Matcher[]; agg?: Aggregation; selector?: SelectorKind; by?: readonly string[] } = {};
  if (o.matchers) out.matchers = o.matchers;
  if (o.agg) out.agg = o.agg;
  if (o.selector) out.selector = o.selector;
  if (o.by?.length) out.by = o.by;
  return out;
}

export const gauge = (metric: string, o: LeafOptions = {}): Expr => ({ kind: 'gauge', metric, ...opts(o) });
/** 2m: four samples at OpenShift's 30 s scrape, and a young series is not diluted over 5 minutes. */
export const rate = (metric: string, window: Window = '2m', o: LeafOptions = {}): Expr => ({ kind: 'rate', metric, window, ...opts(o) });
export const increase = (metric: string, window: Window = 'range', o: LeafOptions = {}): Expr => ({ kind: 'increase', metric, window, ...opts(o) });
export const quantile = (metric: string, q = 0.99, window: Window = '5m', o: LeafOptions = {}): Expr => ({ kind: 'quantile', metric, q, window, ...opts(o) });
export const scalar = (value: number): Expr => ({ kind: 'scalar', value });
export const add = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '+', left, right });
export const sub = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '-', left, right });
export const mul = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '*', left, right });
export const div = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '/', left, right });
export const pct = (e: Expr): Expr => mul(e, scalar(100));

export const eq = (label: string, value: string): Matcher => ({ label, op: '=', value });
export const re = (label: string, value: string): Matcher => ({ label, op: '=~', value });
export const nre = (label: string, value: string): Matcher => ({ label, op: '!~', value });
