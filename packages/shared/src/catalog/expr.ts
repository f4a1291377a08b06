/**
 * The catalog's expression language. Every catalog metric is one `Expr`; `render-promql.ts`
 * turns it into PromQL for a Prometheus/Thanos source and `sources/direct/evaluate.ts` computes
 * the same value from raw /metrics scrapes, so the two sources agree by construction.
 *
 * Semantics (shared by both evaluators):
 * - A leaf selects one metric family, filters it by the scope's selector (from config) plus its
 *   own matchers, applies its function per series, then aggregates per entity: per member
 *   (`memberLabel`) for member scope, per node (`nodeLabel`) for node scope, into one value for
 *   cluster scope. `agg` defaults to `sum`.
 * - `quantile` is `histogram_quantile(q, sum by (entity, le) (rate(<metric>_bucket[w])))`.
 * - Binary operators combine two per-entity vectors one-to-one on the entity; a missing side or
 *   a division by zero yields no value (never 0).
 * - `window` is a duration such as "5m", or "range" for the whole analysis window.
 * - `by` keeps labels besides the entity, so one entity has one value per label set (the peer
 *   `To` of etcd's per-peer histograms). Binary operators match on those labels too.
 */

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

export type Aggregation = 'sum' | 'avg' | 'min' | 'max' | 'count';

/** A duration string ("30s", "5m", "1h") or "range" for the whole analysis window. */
export type Window = string;

/**
 * Which configured selector filters a leaf: by default the metric's scope selector (members'
 * own metrics, or node_exporter's); "container" for cAdvisor series of the etcd containers
 * (grouped by the member label); "none" for cluster-wide series such as the apiserver's.
 */
export type SelectorKind = 'scope' | 'container' | 'none';

interface LeafBase {
  readonly metric: string;
  readonly matchers?: readonly Matcher[];
  readonly agg?: Aggregation;
  readonly selector?: SelectorKind;
  /** Labels kept besides the entity (one value per label set). */
  readonly by?: readonly string[];
}

export interface GaugeExpr extends LeafBase {
  readonly kind: 'gauge';
}
/** Per-second rate of a counter (handles counter resets). */
export interface RateExpr extends LeafBase {
  readonly kind: 'rate';
  readonly window: Window;
}
/** Increase of a counter over the window (handles counter resets). */
export interface IncreaseExpr extends LeafBase {
  readonly kind: 'increase';
  readonly window: Window;
}
/** Quantile of a histogram; `metric` is the base name (without `_bucket`). */
export interface QuantileExpr extends LeafBase {
  readonly kind: 'quantile';
  readonly q: number;
  readonly window: Window;
}
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: '+' | '-' | '*' | '/';
  readonly left: Expr;
  readonly right: Expr;
}
export interface ScalarExpr {
  readonly kind: 'scalar';
  readonly value: number;
}

export type LeafExpr = GaugeExpr | RateExpr | IncreaseExpr | QuantileExpr;
export type Expr = LeafExpr | BinaryExpr | ScalarExpr;

/** Which selector and grouping label applies to a metric's leaves. */
export type Scope = 'member' | 'node' | 'cluster';

/** Parses "90s", "5m", "1h", "1h30m", "2d" into seconds; throws on anything else. */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  let matched = 0;
  for (const m of text.trim().matchAll(re)) {
    total += Number(m[1]) * (unit[m[2] as string] as number);
    matched += m[0].length;
  }
  if (text.trim().length === 0 || matched !== text.trim().length || total <= 0) {
    throw new RangeError(`invalid duration "${text}": use forms like 90s, 15m, 1h30m, 2d`);
  }
  return total;
}

/** Formats seconds as a PromQL duration ("1h5m", "45s"). */
export function formatDuration(seconds: number): string {
  let s = Math.max(1, Math.round(seconds));
  const parts: string[] = [];
  for (const [u, n] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= n) {
      parts.push(`${Math.floor(s / n)}${u}`);
      s %= n;
    }
  }
  return parts.join('');
}

export function leaves(e: Expr): LeafExpr[] {
  if (e.kind === 'binary') return [...leaves(e.left), ...leaves(e.right)];
  if (e.kind === 'scalar') return [];
  return [e];
}
