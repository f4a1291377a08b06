import { formatValue } from '../catalog/index.ts';
import type { Finding, Severity } from '../schema/index.ts';
import { judge, type Judged } from './judge.ts';
import { lastValue, signalRows, type SignalTable } from './signals.ts';
import type { AnalysisConfig, Rule } from './types.ts';

export interface RuleOutcome {
  readonly findings: Finding[];
  /** Rules that could not be judged for lack of data. */
  readonly unjudged: Rule[];
}

export function effectiveThresholds(rule: Rule, config: AnalysisConfig): { warning: number; critical: number; holdFor: string | undefined } {
  const o = config.rules[rule.id] ?? {};
  return { warning: o.warning ?? rule.thresholds.warning, critical: o.critical ?? rule.thresholds.critical, holdFor: o.holdFor ?? rule.holdFor };
}

function describeHeld(seconds: number): string {
  if (seconds <= 0) return 'the window';
  return seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`;
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
}

const worse = (rule: Rule, a: Judged, b: Judged): boolean => (rule.direction === 'above' ? a.value > b.value : a.value < b.value);

/**
 * Evaluates every enabled rule against the signal table: critical is judged first, then warning;
 * each entity yields at most one finding per rule. Pure.
 */
export function evaluateRules(table: SignalTable, rules: readonly Rule[], config: AnalysisConfig, window: { start: string; end: string }): RuleOutcome {
  const findings: Finding[] = [];
  const unjudged: Rule[] = [];
  const span = (Date.parse(window.end) - Date.parse(window.start)) / 1000;
  const windowSeconds = Number.isFinite(span) && span > 0 ? span : undefined;
  for (const rule of rules) {
    if (config.rules[rule.id]?.enabled === false) continue;
    const data = signalRows(table, rule.signal, rule.fallback);
    if (!data || data.size === 0) {
      unjudged.push(rule);
      continue;
    }
    const t = effectiveThresholds(rule, config);
    const judged: Array<{ entity: string; member: string | undefined; peer: string | undefined; severity: Severity; j: Judged; threshold: number }> = [];
    for (const [entity, d] of data) {
      if (rule.scope !== 'cluster' && d.scope !== rule.scope) continue;
      if (rule.onlyWhen) {
        const gate = lastValue(table, rule.onlyWhen.signal, d.member ?? entity);
        if (gate === undefined || gate < rule.onlyWhen.atLeast) continue;
      }
      const crit = judge(d.points, rule, t.critical, t.holdFor, windowSeconds);
      const hit = crit ? { severity: 'critical' as const, j: crit, threshold: t.critical } : (() => {
        const w = judge(d.points, rule, t.warning, t.holdFor, windowSeconds);
        return w ? { severity: 'warning' as const, j: w, threshold: t.warning } : null;
      })();
      if (hit) judged.push({ entity, member: d.member, peer: d.peer, ...hit });
    }
    const chosen = rule.scope === 'cluster'
      ? judged.reduce<typeof judged>((acc, x) => {
          const cur = acc[0];
          if (!cur || (x.severity === 'critical' && cur.severity === 'warning') || (x.severity === cur.severity && worse(rule, x.j, cur.j))) return [x];
          return acc;
        }, [])
      : judged;
    const metric = data === table.get(rule.signal) ? rule.signal : (rule.fallback ?? rule.signal);
    for (const c of chosen) {
      const member = rule.scope === 'cluster' || c.entity === 'cluster' ? null : (c.member ?? c.entity);
      const value = formatValue(c.j.value, rule.unit);
      const toPeer = c.peer ? ` to ${c.peer}` : rule.fallback ? ' to its peers' : '';
      findings.push({
        id: `${rule.id}:${c.entity}`,
        rule: rule.id,
        role: rule.role,
        severity: c.severity,
        category: rule.category,
        subsystem: rule.subsystem,
        member,
        ...(c.peer ? { peer: c.peer } : {}),
        summary: fill(rule.summary, { member: member ?? 'the cluster', toPeer, value, threshold: formatValue(c.threshold, rule.unit), severity: c.severity, held: describeHeld(c.j.heldSeconds) }),
        evidence: [{ metric, member, value: c.j.value, unit: rule.unit, threshold: c.threshold, basis: c.j.basis, window }],
      });
    }
  }
  return { findings, unjudged };
}
