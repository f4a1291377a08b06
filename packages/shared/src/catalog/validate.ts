import type { CatalogMetric } from './types.ts';
import { leaves, type Expr } from './expr.ts';

const ID = /^[a-z][a-zA-Z0-9]*$/;
const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Checks ids are unique camelCase, names and labels are valid, windows parse; returns the problems. */
export function validateCatalog(catalog: readonly CatalogMetric[]): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const m of catalog) {
    if (!ID.test(m.id)) errors.push(`${m.id}: id must be camelCase`);
    if (seen.has(m.id)) errors.push(`${m.id}: duplicate id`);
    seen.add(m.id);
    const ls = leaves(m.expr);
    if (ls.length === 0) errors.push(`${m.id}: expression selects no metric`);
    for (const l of ls) {
      if (!METRIC.test(l.metric)) errors.push(`${m.id}: invalid metric name ${l.metric}`);
      for (const mt of l.matchers ?? []) if (!LABEL.test(mt.label)) errors.push(`${m.id}: invalid label ${mt.label}`);
      if ('window' in l && l.window !== 'range' && !/^\d+[smhd]$/.test(l.window)) errors.push(`${m.id}: invalid window ${l.window}`);
      if ('window' in l && l.window === 'range' && !m.instant) errors.push(`${m.id}: a "range" window needs instant: true`);
      if (l.kind === 'quantile' && !(l.q > 0 && l.q < 1)) errors.push(`${m.id}: quantile must be in (0,1)`);
      for (const b of l.by ?? []) if (!LABEL.test(b) || b === 'le') errors.push(`${m.id}: invalid by label ${b}`);
    }
    if (byLabels(m.expr) === null) errors.push(`${m.id}: both sides of a binary operator must keep the same by labels`);
  }
  return errors;
}

/** The labels an expression keeps besides the entity, or null when its operands disagree. */
export function byLabels(e: Expr): readonly string[] | null {
  if (e.kind === 'scalar') return [];
  if (e.kind !== 'binary') return [...(e.by ?? [])].sort();
  const l = byLabels(e.left);
  const r = byLabels(e.right);
  if (l === null || r === null) return null;
  if (e.left.kind === 'scalar') return r;
  if (e.right.kind === 'scalar') return l;
  return l.join(',') === r.join(',') ? l : null;
}

export function catalogById(catalog: readonly CatalogMetric[]): ReadonlyMap<string, CatalogMetric> {
  return new Map(catalog.map((m) => [m.id, m]));
}
