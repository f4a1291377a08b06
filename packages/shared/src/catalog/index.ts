/**
 * @module catalog
 * The metric catalog as data, its expression language, and its PromQL rendering. Pure: no I/O.
 */
export { CATALOG } from './metrics.ts';
export type { CatalogMetric, Category, Unit } from './types.ts';
export type { Aggregation, Expr, LeafExpr, Matcher, MatchOp, Scope, SelectorKind, Window } from './expr.ts';
export { formatDuration, leaves, parseDuration } from './expr.ts';
export { OPENSHIFT_SELECTORS, parseMatchers, type Selectors } from './selectors.ts';
export { entityLabel, renderExpr, renderMatchers, renderPromQL, type RenderContext } from './render-promql.ts';
export { byLabels, catalogById, validateCatalog } from './validate.ts';
export { formatValue } from './format.ts';
