import type { ClusterSnapshot, Coverage, Finding, Report, Status, Subsystem } from '../schema/index.ts';
import { subsystemGaps } from './coverage.ts';
import type { SignalTable } from './signals.ts';

/** How much each subsystem weighs in the overall score: disk and consensus dominate etcd latency. */
const WEIGHTS: Readonly<Record<Subsystem, number>> = { disk: 0.3, consensus: 0.25, network: 0.2, database: 0.15, resources: 0.1 };
/** A risk lowers its subsystem's score a little (it may become a symptom) but never its status. */
const RISK_PENALTY = { warning: 5, critical: 10 } as const;
const RISK_FLOOR = 70;

export type SubsystemScore = Report['subsystems'][number];

/**
 * Each subsystem from its own symptoms and its own signals: symptoms set its status; without its
 * signals (and without a symptom) it is unknown, never healthy; risks only lower its score.
 */
export function scoreSubsystems(findings: readonly Finding[], risks: readonly Finding[], snapshot: ClusterSnapshot, table: SignalTable): SubsystemScore[] {
  return (Object.keys(WEIGHTS) as Subsystem[]).map((name) => {
    const own = findings.filter((f) => f.subsystem === name);
    const ownRisks = risks.filter((f) => f.subsystem === name);
    const crit = own.filter((f) => f.severity === 'critical').length;
    const warn = own.length - crit;
    const riskNote = ownRisks.length ? `; ${ownRisks.length} risk(s) without a symptom` : '';
    const gaps = subsystemGaps(name, snapshot, table);
    if (own.length === 0 && gaps.length > 0) return { name, score: null, status: 'unknown' as const, summary: `cannot judge: ${gaps.join('; ')}${riskNote}` };
    let score = Math.max(0, 100 - 40 * crit - 15 * warn);
    if (crit) score = Math.min(score, 49);
    else if (warn) score = Math.min(score, 79);
    else score = Math.max(RISK_FLOOR, score - ownRisks.reduce((a, r) => a + RISK_PENALTY[r.severity], 0));
    const status: Status = crit ? 'critical' : warn ? 'warning' : 'healthy';
    const summary = own.length ? `${crit} critical, ${warn} warning finding(s)${riskNote}${gaps.length ? `; not judged: ${gaps.join('; ')}` : ''}` : `no symptom${riskNote}`;
    return { name, score, status, summary };
  });
}

/**
 * The verdict: symptoms decide it. Without a symptom, "healthy" needs complete coverage of the
 * core signals; otherwise the status is unknown. Risks never raise it.
 */
export function overall(subsystems: readonly SubsystemScore[], findings: readonly Finding[], coverage: Coverage): { status: Status; score: number | null; grade: Report['grade'] } {
  const known = subsystems.filter((s) => s.score !== null);
  const weight = known.reduce((a, s) => a + WEIGHTS[s.name], 0);
  const score = weight > 0 ? Math.round(known.reduce((a, s) => a + (s.score as number) * WEIGHTS[s.name], 0) / weight) : null;
  let status: Status;
  if (findings.some((f) => f.severity === 'critical')) status = 'critical';
  else if (findings.length) status = 'warning';
  else if (!coverage.complete) status = 'unknown';
  else status = 'healthy';
  const grade: Report['grade'] = score === null || status === 'unknown' ? '?' : score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';
  return { status, score: status === 'unknown' ? null : score, grade };
}
