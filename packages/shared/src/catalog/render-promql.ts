import { formatDuration, type Expr, type LeafExpr, type Matcher, type Scope } from './expr.ts';
import type { Selectors } from './selectors.ts';
import type { CatalogMetric } from './types.ts';

export interface RenderContext {
  readonly selectors: Selectors;
  /** Length of the analysis window, for "range" windows. */
  readonly rangeSeconds: number;
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
  return by.length ? `${agg} by (${by.join(', ')}) (${inner})` : `${agg}(${inner})`;
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
