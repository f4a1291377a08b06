import { REPORT_SCHEMA_VERSION, type Chart, type ClusterSnapshot, type Coverage, type Finding, type Recommendation, type Report, type RootCause } from '../schema/index.ts';
import { RULES } from './catalog.ts';
import { CORRELATORS } from './correlators/index.ts';
import { recommend } from './correlators/context.ts';
import { computeCoverage } from './coverage.ts';
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

/** Causes first, in rank order; then what the symptoms' rules advise; then the risks'. */
function recommendations(causes: readonly RootCause[], findings: readonly Finding[], risks: readonly Finding[], rules: readonly Rule[]): Recommendation[] {
  const seen = new Set<string>();
  const out: Recommendation[] = [];
  const take = (r: Recommendation): void => {
    if (seen.has(r.action)) return;
    seen.add(r.action);
    out.push({ ...r, priority: out.length + 1 });
  };
  for (const c of causes) c.recommendations.forEach(take);
  for (const f of [...findings, ...risks]) recommend(rules.find((r) => r.id === f.rule)?.recommendations ?? [], f.member).forEach(take);
  return out;
}

function missingSummary(coverage: Coverage, snapshot: ClusterSnapshot): string {
  if (snapshot.members.length === 0) return snapshot.problems[0]?.message ?? 'no etcd metrics were found';
  return coverage.summary.replace(/^incomplete: /, 'missing data: ');
}

function headline(status: Report['status'], causes: readonly RootCause[], findings: readonly Finding[], risks: readonly Finding[], coverage: Coverage, snapshot: ClusterSnapshot): string {
  if (status === 'unknown') return `Cannot tell whether etcd is the bottleneck: ${missingSummary(coverage, snapshot)}.`;
  const present = snapshot.members.filter((m) => m.present).length;
  if (status === 'healthy') {
    const riskNote = risks.length ? ` ${risks.length} risk(s) listed below do not slow etcd yet.` : '';
    return `etcd is not the bottleneck: every etcd signal is within its target on ${present} member(s).${riskNote}`;
  }
  const lead = status === 'critical' ? 'etcd is a bottleneck' : 'etcd shows early signs of trouble';
  const gap = coverage.complete ? '' : ` (judged on incomplete data: ${missingSummary(coverage, snapshot)})`;
  const top = causes[0];
  if (top) return `${lead}: ${top.cause.charAt(0).toLowerCase()}${top.cause.slice(1)}. ${top.evidence[0] ?? ''}.${gap}`;
  return `${lead}: ${findings[0]?.summary ?? ''}.${gap}`;
}

/**
 * The whole analysis, pure: snapshot -> findings -> scores -> root causes -> report. Symptoms
 * decide the status; risks explain symptoms and are listed on their own otherwise; a root cause
 * is kept only when it explains a symptom; "healthy" needs every core signal of every member.
 */
export function analyzeSnapshot(snapshot: ClusterSnapshot, opts: AnalyzeOptions): Report {
  const config = opts.config ?? DEFAULT_CONFIG;
  const rules = opts.rules ?? RULES;
  const table = buildSignals(snapshot, config.expectedMembers);
  const window = { start: snapshot.window.start, end: snapshot.window.end };
  const { findings: fired } = evaluateRules(table, rules, config, window);
  fired.sort((a, b) => (a.severity === b.severity ? a.id.localeCompare(b.id) : a.severity === 'critical' ? -1 : 1));
  const findings = fired.filter((f) => f.role === 'symptom');
  const risks = fired.filter((f) => f.role === 'risk');
  const leader = leaderOf(snapshot, table);
  const ctx = { findings, risks, table, members: snapshot.members, nodes: snapshot.nodes, leader };
  const rootCauses = findings.length === 0 ? [] : CORRELATORS.flatMap((c) => c.correlate(ctx)).filter((c) => c.explains.length > 0).sort((a, b) => b.confidence - a.confidence || a.id.localeCompare(b.id));
  const coverage = computeCoverage(snapshot, table);
  const subsystems = scoreSubsystems(findings, risks, snapshot, table);
  const o = overall(subsystems, findings, coverage);
  const baseline = opts.baseline ?? null;
  const outside = snapshot.logEvents.filter((e) => {
    const t = Date.parse(e.ts);
    return t < Date.parse(window.start) || t > Date.parse(window.end);
  }).length;
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
    headline: headline(o.status, rootCauses, findings, risks, coverage, snapshot),
    members: snapshot.members.map((m) => ({ name: m.name, present: m.present, leader: m.name === leader })),
    subsystems,
    kpis: buildKpis(table, findings, risks, rules, config, baseline),
    coverage,
    findings,
    risks,
    ...(outside > 0 ? { logsOutsideWindow: outside } : {}),
    rootCauses,
    recommendations: recommendations(rootCauses, findings, risks, rules),
    problems: snapshot.problems,
    charts: charts(snapshot, rules, config),
    baseline: baseline ? { id: baseline.id, generatedAt: baseline.generatedAt } : null,
  };
}
