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

function leafValue(leaf: LeafExpr, target: TargetScrapes, at: number, rangeStart: number, staleness: number): number | undefined {
  const ms = leaf.matchers ?? [];
  if (leaf.kind === 'gauge') {
    const s = [...target.scrapes].reverse().find((x) => x.t <= at);
    if (!s || at - s.t > staleness) return undefined;
    return aggregate(select(s.data, leaf.metric, ms).map((x) => x.value), leaf.agg ?? 'sum');
  }
  const from = leaf.window === 'range' ? rangeStart : at - parseDuration(leaf.window);
  const inWindow = target.scrapes.filter((x) => x.t >= from && x.t <= at);
  if (inWindow.length < 2) return undefined;
  if (leaf.kind === 'quantile') {
    const byLe = new Map<number, number>();
    for (const v of increases(inWindow, `${leaf.metric}_bucket`, ms).values()) {
      if (v.first === v.last) continue;
      const le = Number(v.labels.le === '+Inf' ? Infinity : v.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + v.inc);
    }
    return histogramQuantile(leaf.q, byLe);
  }
  const per = [...increases(inWindow, leaf.metric, ms).values()].filter((v) => v.last > v.first);
  const values = per.map((v) => (leaf.kind === 'rate' ? v.inc / (v.last - v.first) : v.inc));
  return aggregate(values, leaf.agg ?? 'sum');
}

function evalExpr(e: Expr, target: TargetScrapes, at: number, rangeStart: number, staleness: number): number | undefined {
  if (e.kind === 'scalar') return e.value;
  if (e.kind === 'binary') {
    const l = evalExpr(e.left, target, at, rangeStart, staleness);
    const r = evalExpr(e.right, target, at, rangeStart, staleness);
    if (l === undefined || r === undefined) return undefined;
    if (e.op === '/') return r === 0 ? undefined : l / r;
    return e.op === '+' ? l + r : e.op === '-' ? l - r : l * r;
  }
  return leafValue(e, target, at, rangeStart, staleness);
}

/**
 * Value of an expression for one target at `at`, with PromQL's semantics (expr.ts) computed from
 * raw scrapes. Rates divide by the time between the first and last sample in the window; PromQL
 * also extrapolates to the window edges, so a young series reads higher here than in Prometheus.
 */
export function evaluateAt(e: Expr, target: TargetScrapes, at: number, rangeStart: number, staleness: number): number | undefined {
  const v = evalExpr(e, target, at, rangeStart, staleness);
  return v === undefined || !Number.isFinite(v) ? undefined : v;
}
