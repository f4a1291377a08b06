import { formatValue } from '../../catalog/index.ts';
import type { Finding, Recommendation, RootCause, Subsystem } from '../../schema/index.ts';
import { RECOMMENDATIONS } from '../recommendations.ts';
import type { SignalTable } from '../signals.ts';

export interface CorrelationContext {
  readonly findings: readonly Finding[];
  readonly table: SignalTable;
  readonly members: ReadonlyArray<{ readonly name: string; readonly present: boolean }>;
  readonly leader: string | null;
}

/** One root-cause detector: reads findings and signals, never fetches (k8sgpt-style). */
export interface Correlator {
  readonly id: string;
  correlate(ctx: CorrelationContext): RootCause[];
}

export function recommend(ids: readonly string[], member: string | null): Recommendation[] {
  return ids.flatMap((id, i) => {
    const t = RECOMMENDATIONS[id];
    if (!t) return [];
    const who = (s: string): string => s.replace(/\{member\}/g, member ?? 'each member');
    return [{ priority: i + 1, category: t.category, action: who(t.action), rationale: t.rationale, ...(t.command ? { command: who(t.command) } : {}) }];
  });
}

export function cause(p: { id: string; cause: string; member: string | null; confidence: number; subsystem: Subsystem; evidence: string[]; recommendations: readonly string[] }): RootCause {
  return { id: p.id, cause: p.cause, member: p.member, confidence: Math.round(Math.min(0.99, Math.max(0.05, p.confidence)) * 100) / 100, subsystem: p.subsystem, evidence: p.evidence, recommendations: recommend(p.recommendations, p.member) };
}

export const byRule = (ctx: CorrelationContext, ...rules: string[]): Finding[] => ctx.findings.filter((f) => rules.includes(f.rule));

/** A signal's typical value for an entity: the median of its points. */
export function typical(table: SignalTable, signal: string, entity: string): number | undefined {
  const pts = table.get(signal)?.get(entity)?.points;
  if (!pts || pts.length === 0) return undefined;
  const v = pts.map((p) => p[1]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
}

export function peak(table: SignalTable, signal: string, entity: string): number | undefined {
  const pts = table.get(signal)?.get(entity)?.points;
  return pts && pts.length ? Math.max(...pts.map((p) => p[1])) : undefined;
}

export const fmt = formatValue;

/** "etcd-0 2.1 ms, etcd-1 1.9 ms" for the given members' typical values. */
export function listTypical(table: SignalTable, signal: string, members: readonly string[], unit: string): string {
  return members.map((m) => `${m} ${(() => { const v = typical(table, signal, m); return v === undefined ? 'no data' : fmt(v, unit); })()}`).join(', ');
}
