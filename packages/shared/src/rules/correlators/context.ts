import { formatValue } from '../../catalog/index.ts';
import type { Finding, Recommendation, RootCause, Subsystem } from '../../schema/index.ts';
import { RECOMMENDATIONS } from '../recommendations.ts';
import type { SignalTable } from '../signals.ts';

export interface CorrelationContext {
  /** Symptom findings: what a cause has to explain. */
  readonly findings: readonly Finding[];
  /** Risk findings: conditions that may explain symptoms. */
  readonly risks: readonly Finding[];
  readonly table: SignalTable;
  readonly members: ReadonlyArray<{ readonly name: string; readonly present: boolean }>;
  readonly nodes: readonly string[];
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

export interface CauseSpec {
  readonly id: string;
  readonly cause: string;
  readonly member: string | null;
  /** A node rather than a member (resources seen per node). */
  readonly node?: string;
  /** Why a cause without a member is cluster-wide (required then: a cause says where it sits). */
  readonly clusterWideBecause?: string;
  readonly confidence: number;
  readonly subsystem: Subsystem;
  /** The findings it explains; only symptoms count (a cause with none is dropped by the analysis). */
  readonly explains: readonly Finding[];
  readonly evidence: string[];
  readonly recommendations: readonly string[];
}

export function cause(p: CauseSpec): RootCause {
  const where = p.member ? `member ${p.member}` : p.node ? `node ${p.node}` : `cluster-wide: ${p.clusterWideBecause ?? 'no single member stands out'}`;
  const explains = [...new Set(p.explains.filter((f) => f.role === 'symptom').map((f) => f.id))];
  return {
    id: p.id,
    cause: p.cause,
    member: p.member,
    where,
    confidence: Math.round(Math.min(0.99, Math.max(0.05, p.confidence)) * 100) / 100,
    explains,
    subsystem: p.subsystem,
    evidence: p.evidence,
    recommendations: recommend(p.recommendations, p.member),
  };
}

/** Fired findings of these rules, symptoms and risks alike. */
export const byRule = (ctx: CorrelationContext, ...rules: string[]): Finding[] => [...ctx.findings, ...ctx.risks].filter((f) => rules.includes(f.rule));

export const presentMembers = (ctx: CorrelationContext): string[] => ctx.members.filter((m) => m.present).map((m) => m.name);

/** A signal's typical value for an entity: the median of its points. */
export function typical(table: SignalTable, signal: string, entity: string): number | undefined {
  const pts = table.get(signal)?.get(entity)?.points;
  if (!pts || pts.length === 0) return undefined;
  const v = pts.map((p) => p[1]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
}

export function peak(table: SignalTable, signal: string, entity: string): number | undefined {
  const pts = table.get(signal)?.get(entity)?.points;
  if (!pts || pts.length === 0) return undefined;
  let m = -Infinity;
  for (const p of pts) m = Math.max(m, p[1]);
  return m;
}

export const fmt = formatValue;

/** "etcd-0 2.1 ms, etcd-1 1.9 ms" for the given members' typical values. */
export function listTypical(table: SignalTable, signal: string, members: readonly string[], unit: string): string {
  return members.map((m) => `${m} ${(() => { const v = typical(table, signal, m); return v === undefined ? 'no data' : fmt(v, unit); })()}`).join(', ');
}
