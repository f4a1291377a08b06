import type { Finding, Report, Status, Subsystem } from '../schema/index.ts';
import type { SignalTable } from './signals.ts';

/** Signals without which a subsystem cannot be judged (any one of them is enough). */
const KEY_SIGNALS: Readonly<Record<Subsystem, readonly string[]>> = {
  disk: ['walFsyncP99', 'backendCommitP99'],
  network: ['peerRttP99', 'peerSentFailuresRate'],
  consensus: ['hasLeader', 'proposalsCommittedRate', 'memberMissing'],
  database: ['dbSize', 'alarmNoSpace'],
  resources: ['processCpuPercent', 'nodeCpuPercent'],
};

/** How much each subsystem weighs in the overall score: disk and consensus dominate etcd latency. */
const WEIGHTS: Readonly<Record<Subsystem, number>> = { disk: 0.3, consensus: 0.25, network: 0.2, database: 0.15, resources: 0.1 };
/** Without these, "healthy" cannot be claimed. */
const ESSENTIAL: readonly Subsystem[] = ['disk', 'consensus'];

export type SubsystemScore = Report['subsystems'][number];

export function scoreSubsystems(findings: readonly Finding[], table: SignalTable): SubsystemScore[] {
  return (Object.keys(WEIGHTS) as Subsystem[]).map((name) => {
    const own = findings.filter((f) => f.subsystem === name);
    const crit = own.filter((f) => f.severity === 'critical').length;
    const warn = own.length - crit;
    const known = KEY_SIGNALS[name].some((s) => (table.get(s)?.size ?? 0) > 0);
    if (!known && own.length === 0) return { name, score: null, status: 'unknown' as const, summary: `no data to judge ${name} (${KEY_SIGNALS[name].join(', ')} missing)` };
    let score = Math.max(0, 100 - 40 * crit - 15 * warn);
    if (crit) score = Math.min(score, 49);
    else if (warn) score = Math.min(score, 79);
    const status: Status = crit ? 'critical' : warn ? 'warning' : 'healthy';
    const summary = own.length ? `${crit} critical, ${warn} warning finding(s)` : 'no finding';
    return { name, score, status, summary };
  });
}

export function overall(subsystems: readonly SubsystemScore[], findings: readonly Finding[]): { status: Status; score: number | null; grade: Report['grade'] } {
  const known = subsystems.filter((s) => s.score !== null);
  const weight = known.reduce((a, s) => a + WEIGHTS[s.name], 0);
  const score = weight > 0 ? Math.round(known.reduce((a, s) => a + (s.score as number) * WEIGHTS[s.name], 0) / weight) : null;
  const essentialUnknown = subsystems.some((s) => ESSENTIAL.includes(s.name) && s.status === 'unknown');
  let status: Status;
  if (findings.some((f) => f.severity === 'critical')) status = 'critical';
  else if (essentialUnknown) status = 'unknown';
  else if (findings.length) status = 'warning';
  else status = 'healthy';
  const grade: Report['grade'] = score === null || status === 'unknown' ? '?' : score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';
  return { status, score: status === 'unknown' && findings.length === 0 ? null : score, grade };
}
