import { formatDuration, parseDuration, type Expr, type LeafExpr, type Matcher, type Scope } from './expr.ts';
import type { Selectors } from './selectors.ts';
import type { CatalogMetric } from './types.ts';

export interface RenderContext {
  readonly selectors: Selectors;
  /** Length of the analysis window, for "range" windows. */
  readonly rangeSeconds: number;
  /**
   * When the first sample (unix seconds) of entities whose series are younger than a rate window
   * somewhere in the analysis window: their rates are scaled to the series' real age (see
   * `youngRate`). Absent or empty: rates are plain.
   */
  readonly seriesStart?: { readonly member?: ReadonlyMap<string, number>; readonly node?: ReadonlyMap<string, number> };
}

const escapeValue = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderMatchers(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => `${m.label}${m.op}"${escapeValue(m.value)}"`).join(',')}}`;
}

function baseMatchers(leaf: LeafExpr, scope: Scope, s: Selectors): readonly Matcher[] {
  switch (leaf.selector ?? 'scope') {
    case 'none':
      return [];
    case 'container':
      return s.container;
    case 'scope':
      return scope === 'node' ? s.node : scope === 'member' ? s.member : [];
  }
}

/** The label a leaf's result is grouped by, or null for one cluster-wide value. */
export function entityLabel(scope: Scope, s: Selectors): string | null {
  return scope === 'member' ? s.memberLabel : scope === 'node' ? s.nodeLabel : null;
}

function renderLeaf(leaf: LeafExpr, scope: Scope, ctx: RenderContext): string {
  const sel = renderMatchers([...baseMatchers(leaf, scope, ctx.selectors), ...(leaf.matchers ?? [])]);
  const entity = entityLabel(scope, ctx.selectors);
  const by = [...(entity ? [entity] : []), ...(leaf.by ?? [])];
  const win = (w: string): string => (w === 'range' ? formatDuration(ctx.rangeSeconds) : w);
  if (leaf.kind === 'quantile') {
    return `histogram_quantile(${leaf.q}, sum by (${[...by, 'le'].join(', ')}) (rate(${leaf.metric}_bucket${sel}[${win(leaf.window)}])))`;
  }
  const inner =
    leaf.kind === 'gauge' ? `${leaf.metric}${sel}` : `${leaf.kind}(${leaf.metric}${sel}[${win(leaf.window)}])`;
  const agg = leaf.agg ?? 'sum';
  const plain = by.length ? `${agg} by (${by.join(', ')}) (${inner})` : `${agg}(${inner})`;
  const starts = scope === 'member' ? ctx.seriesStart?.member : scope === 'node' ? ctx.seriesStart?.node : undefined;
  if (leaf.kind !== 'rate' || leaf.window === 'range' || (leaf.selector ?? 'scope') !== 'scope' || !entity || !starts?.size) return plain;
  return youngRate(plain, entity, starts, parseDuration(leaf.window));
}

/**
 * PromQL's rate() divides by the whole range even when the series began inside it, so a member
 * or node younger than the rate window reads low (a fresh node's idle CPU low, hence its CPU
 * busy high). For the entities known to be young, the rate is scaled by window / age, with each
 * first-sample time written into the query as a constant; every other series stays as it was.
 */
function youngRate(plain: string, entity: string, starts: ReadonlyMap<string, number>, windowSeconds: number): string {
  // label_replace expands $1 in its replacement: a literal "$" is written "$$".
  const firsts = [...starts].map(([name, t]) => `label_replace(vector(${t}), "${entity}", "${escapeValue(name.replace(/\$/g, '$$$$'))}", "", "")`).join(' or ');
  const factor = `(${windowSeconds} / clamp(time() - (${firsts}), 1, ${windowSeconds}))`;
  return `((${plain} * on (${entity}) group_left () ${factor}) or ${plain})`;
}

export function renderExpr(e: Expr, scope: Scope, ctx: RenderContext): string {
  switch (e.kind) {
    case 'scalar':
      return String(e.value);
    case 'binary':
      return `(${renderExpr(e.left, scope, ctx)} ${e.op} ${renderExpr(e.right, scope, ctx)})`;
    default:
      return renderLeaf(e, scope, ctx);
  }
}

/** The PromQL for one catalog metric under the given selectors. */
export function renderPromQL(metric: CatalogMetric, ctx: RenderContext): string {
  return renderExpr(metric.expr, metric.scope, ctx);
}
