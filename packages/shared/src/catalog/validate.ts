import type { CatalogMetric } from './types.ts';
import { leaves } from './expr.ts';

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
    }
  }
  return errors;
}

export function catalogById(catalog: readonly CatalogMetric[]): ReadonlyMap<string, CatalogMetric> {
  return new Map(catalog.map((m) => [m.id, m]));
}
