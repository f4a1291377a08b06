import { REPORT_SCHEMA_VERSION, type Chart, type ClusterSnapshot, type Finding, type Recommendation, type Report, type RootCause } from '../schema/index.ts';
import { RULES } from './catalog.ts';
import { CORRELATORS } from './correlators/index.ts';
import { recommend } from './correlators/context.ts';
import { effectiveThresholds, evaluateRules } from './evaluate.ts';
import { buildKpis } from './kpis.ts';
import { overall, scoreSubsystems } from './score.ts';
import { buildSignals, lastValue, type SignalTable } from './signals.ts';
import { DEFAULT_CONFIG, type AnalysisConfig, type Rule } from './types.ts';

export interface AnalyzeOptions {
  readonly id: string;
  readonly generatedAt: string;
  readonly config?: AnalysisConfig;
  readonly baseline?: Report | null;
  readonly rules?: readonly Rule[];
}

const CHARTS: ReadonlyArray<{ metric: string; title: string; rule?: string }> = [
  { metric: 'walFsyncP99', title: 'WAL fsync p99 (5m)', rule: 'walFsyncLatency' },
  { metric: 'backendCommitP99', title: 'Backend commit p99 (5m)', rule: 'backendCommitLatency' },
  { metric: 'peerRttP99', title: 'Peer round-trip p99 (5m)', rule: 'peerRoundTrip' },
  { metric: 'leaderChangesRate', title: 'Leader changes per second (5m)' },
  { metric: 'dbSize', title: 'DB size', rule: 'dbSize' },
  { metric: 'processCpuPercent', title: 'etcd CPU (100 % = 1 core)', rule: 'etcdCpu' },
];

function leaderOf(snapshot: ClusterSnapshot, table: SignalTable): string | null {
  if (snapshot.status?.leader?.name) return snapshot.status.leader.name;
  const leaders = snapshot.members.filter((m) => lastValue(table, 'isLeader', m.name) === 1).map((m) => m.name);
  return leaders.length === 1 ? (leaders[0] as string) : null;
}

function charts(snapshot: ClusterSnapshot, rules: readonly Rule[], config: AnalysisConfig): Chart[] {
  return CHARTS.map((c) => {
    const series = snapshot.series.filter((s) => s.metric === c.metric && s.scope === 'member');
    const rule = rules.find((r) => r.id === c.rule);
    return {
      metric: c.metric,
      title: c.title,
      unit: series[0]?.unit ?? rule?.unit ?? '',
      threshold: rule ? effectiveThresholds(rule, config).warning : null,
      series: series.map((s) => ({ member: s.entity, points: s.points })).sort((a, b) => a.member.localeCompare(b.member)),
    };
  });
}

/** Causes first, in rank order; then what the remaining findings' rules advise. */
function recommendations(causes: readonly RootCause[], findings: readonly Finding[], rules: readonly Rule[]): Recommendation[] {
  const seen = new Set<string>();
  const out: Recommendation[] = [];
  const take = (r: Recommendation): void => {
    if (seen.has(r.action)) return;
    seen.add(r.action);
    out.push({ ...r, priority: out.length + 1 });
  };
  for (const c of causes) c.recommendations.forEach(take);
  for (const f of findings) recommend(rules.find((r) => r.id === f.rule)?.recommendations ?? [], f.member).forEach(take);
  return out;
}

function headline(status: Report['status'], causes: readonly RootCause[], findings: readonly Finding[], snapshot: ClusterSnapshot): string {
  if (status === 'unknown') {
    const why = snapshot.problems[0]?.message ?? 'no etcd metrics were found';
    return `Cannot tell whether etcd is the bottleneck: ${why}.`;
  }
  const top = causes[0];
  if (status === 'healthy') return `etcd is not the bottleneck: every judged signal is within its target on ${snapshot.members.length} member(s).`;
  const lead = status === 'critical' ? 'etcd is a bottleneck' : 'etcd shows early signs of trouble';
  if (top) return `${lead}: ${top.cause.charAt(0).toLowerCase()}${top.cause.slice(1)}. ${top.evidence[0] ?? ''}.`;
  return `${lead}: ${findings[0]?.summary ?? ''}.`;
}

/**
 * The whole analysis, pure: snapshot -> findings -> scores -> root causes -> report. Every
 * conclusion carries the values that led to it; missing data makes the status "unknown", never
 * "healthy".
 */
export function analyzeSnapshot(snapshot: ClusterSnapshot, opts: AnalyzeOptions): Report {
  const config = opts.config ?? DEFAULT_CONFIG;
  const rules = opts.rules ?? RULES;
  const table = buildSignals(snapshot, config.expectedMembers);
  const window = { start: snapshot.window.start, end: snapshot.window.end };
  const { findings } = evaluateRules(table, rules, config, window);
  findings.sort((a, b) => (a.severity === b.severity ? a.id.localeCompare(b.id) : a.severity === 'critical' ? -1 : 1));
  const leader = leaderOf(snapshot, table);
  const ctx = { findings, table, members: snapshot.members, leader };
  const rootCauses = CORRELATORS.flatMap((c) => c.correlate(ctx)).sort((a, b) => b.confidence - a.confidence || a.id.localeCompare(b.id));
  const subsystems = scoreSubsystems(findings, table);
  const o = overall(subsystems, findings);
  const baseline = opts.baseline ?? null;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: opts.id,
    generatedAt: opts.generatedAt,
    cluster: snapshot.cluster,
    source: snapshot.source,
    window,
    status: o.status,
    score: o.score,
    grade: o.grade,
    headline: headline(o.status, rootCauses, findings, snapshot),
    members: snapshot.members.map((m) => ({ name: m.name, present: m.present, leader: m.name === leader })),
    subsystems,
    kpis: buildKpis(table, findings, rules, config, baseline),
    findings,
    rootCauses,
    recommendations: recommendations(rootCauses, findings, rules),
    problems: snapshot.problems,
    charts: charts(snapshot, rules, config),
    baseline: baseline ? { id: baseline.id, generatedAt: baseline.generatedAt } : null,
  };
}

