/**
 * The terminal executive summary: verdict first (status, score, headline), then the evidence an
 * SRE checks before acting (members, KPIs, findings), then causes and what to run. ANSI colour
 * only when asked for; without it the output is plain text fit for a ticket or a log.
 */
import type { Recommendation, Report, Status } from '../schema/index.ts';
import {
  formatChange,
  formatConfidence,
  formatMeasure,
  formatScore,
  formatThreshold,
  formatUtc,
  formatWindow,
  kpiStatusLabel,
  memberLabel,
  statusLabel,
  stripControl,
} from './format.ts';
import { createPainter, hanging, table, WIDTH, type Painter } from './text-layout.ts';

export interface TextOptions {
  /** Emit ANSI colour (pass `process.stdout.isTTY`). */
  readonly color: boolean;
  /** Add finding evidence, recommendation rationales and every root cause. */
  readonly verbose?: boolean;
}

/** Root causes beyond this rank are mostly noise in a summary; --verbose shows them all. */
const BRIEF_CAUSES = 3;

function banner(r: Report, p: Painter): string[] {
  const verdict = p.banner(r.status, ` ${statusLabel(r.status)} `);
  return [
    `${p.bold('etcd analysis')}  ${verdict}  score ${formatScore(r.score)}  grade ${r.grade}`,
    ...hanging(`cluster ${r.cluster} | source ${r.source} | window ${formatWindow(r.window)}`, ''),
  ];
}

function section(title: string, p: Painter, body: string[]): string[] {
  return body.length ? ['', p.bold(title), ...body] : [];
}

function members(r: Report, p: Painter): string[] {
  if (r.members.length === 0) return ['  no members found'];
  const w = Math.max(...r.members.map((m) => m.name.length));
  // Without a known leader, calling the others "followers" would claim more than we know.
  const leaderKnown = r.members.some((m) => m.leader);
  const lines = r.members.map((m) => {
    const role = m.leader ? `${p.bold('leader')}  ` : leaderKnown ? 'follower' : '';
    const missing = m.present ? '' : `  ${p.status('critical', 'MISSING')} (no data at the end of the window)`;
    return `  ${m.name.padEnd(w)}  ${role}${missing}`.trimEnd();
  });
  return leaderKnown ? lines : [...lines, `  ${p.status('warning', 'no leader identified')}`];
}

function subsystems(r: Report, p: Painter): string[] {
  if (r.subsystems.length === 0) return [];
  return table(
    [{ title: 'SUBSYSTEM' }, { title: 'SCORE', align: 'right' }, { title: 'STATUS' }, { title: 'SUMMARY' }],
    r.subsystems.map((s) => [s.name, formatScore(s.score), { text: statusLabel(s.status), paint: (t) => p.status(s.status, t) }, s.summary]),
    p,
  );
}

function kpis(r: Report, p: Painter): string[] {
  if (r.kpis.length === 0) return [];
  const withBaseline = r.baseline !== null;
  const columns = [{ title: 'INDICATOR', max: 32 }, { title: 'MEMBER', max: 24 }, { title: 'LATEST', align: 'right' as const }, { title: 'JUDGED', align: 'right' as const }, { title: 'THRESHOLD', align: 'right' as const }, ...(withBaseline ? [{ title: 'CHANGE', align: 'right' as const }] : []), { title: 'STATUS' }];
  const rows = r.kpis.map((k) => [
    k.label,
    memberLabel(k.member),
    formatMeasure(k.value, k.unit),
    k.judged === undefined || k.judged === null ? '-' : formatMeasure(k.judged, k.unit),
    formatThreshold(k.threshold, k.unit),
    ...(withBaseline ? [formatChange(k.change)] : []),
    { text: kpiStatusLabel(k.status, k.risk), paint: (t: string) => p.status(k.status, t) },
  ]);
  return [...table(columns, rows, p), p.dim('  LATEST: the last value in the window; JUDGED: what a finding judged (the level held, or the peak)')];
}

function coverage(r: Report, p: Painter): string[] {
  const c = r.coverage;
  const head = hanging(c.summary, '  ');
  const gaps = c.members.filter((m) => !m.down && (m.missing.length || m.partial.length)).flatMap((m) => hanging(`${m.member}: ${m.present}/${m.expected} core signals${m.missing.length ? `, missing ${m.missing.join(', ')}` : ''}${m.partial.length ? `, partial ${m.partial.join(', ')}` : ''}`, '  - '));
  const down = c.members.filter((m) => m.down).map((m) => `  - ${m.member}: not reporting (see FINDINGS)`);
  const logs = r.logsOutsideWindow ? hanging(`${r.logsOutsideWindow} log event(s) fall outside the window: counted, not judged`, '  ') : [];
  return [...head, ...gaps, ...down, ...logs].map((l, i) => (i === 0 && !c.complete ? p.status('unknown', l) : l));
}

function risks(r: Report, p: Painter, verbose: boolean): string[] {
  return r.risks.flatMap((f) => {
    const head = hanging(`${f.member ? `[${f.member}] ` : ''}${f.summary}`, '  ' + ' '.repeat(10));
    head[0] = `  ${p.status(f.severity, 'RISK'.padEnd(8))}  ${head[0]!.trimStart()}`;
    if (!verbose) return head;
    return [...head, ...f.evidence.flatMap((e) => hanging(`${e.metric} = ${formatMeasure(e.value, e.unit)}, ${e.basis}`, '            - ').map((l) => p.dim(l)))];
  });
}

function severityTag(s: Status, p: Painter): string {
  return p.status(s, statusLabel(s).padEnd(8));
}

function findings(r: Report, p: Painter, verbose: boolean): string[] {
  return r.findings.flatMap((f) => {
    const head = hanging(`${f.member ? `[${f.member}] ` : ''}${f.summary}`, '  ' + ' '.repeat(10));
    head[0] = `  ${severityTag(f.severity, p)}  ${head[0]!.trimStart()}`;
    if (!verbose) return head;
    const ev = f.evidence.flatMap((e) => {
      const threshold = e.threshold === undefined ? '' : ` (threshold ${formatThreshold(e.threshold, e.unit)})`;
      return hanging(`${e.metric} on ${memberLabel(e.member)} = ${formatMeasure(e.value, e.unit)}${threshold}, ${e.basis}`, '            - ').map((l) => p.dim(l));
    });
    return [...head, ...ev];
  });
}

/** Recommendations of a cause that also appear in the main list are referred to by number. */
function causeActions(recs: readonly Recommendation[], all: readonly Recommendation[], p: Painter): string[] {
  return recs.flatMap((rec) => {
    const same = all.find((a) => a.action === rec.action);
    if (same) return hanging(rec.action, `       #${same.priority} `);
    const lines = hanging(rec.action, '       - ');
    if (rec.command) lines.push(`           ${p.cmd(`$ ${rec.command}`)}`);
    return lines;
  });
}

function rootCauses(r: Report, p: Painter, verbose: boolean): string[] {
  const shown = verbose ? r.rootCauses : r.rootCauses.slice(0, BRIEF_CAUSES);
  const out = shown.flatMap((c, i) => {
    const who = c.where;
    return [
      ...hanging(c.cause, `  ${i + 1}. `).map((l) => p.bold(l)),
      ...hanging(`${formatConfidence(c.confidence)} confidence | ${c.subsystem} | ${who} | explains ${c.explains.length} finding(s)`, '     '),
      ...(c.evidence.length ? ['     evidence:', ...c.evidence.flatMap((e) => hanging(e, '       - '))] : []),
      ...(c.recommendations.length ? ['     what to do:', ...causeActions(c.recommendations, r.recommendations, p)] : []),
    ];
  });
  const hidden = r.rootCauses.length - shown.length;
  if (hidden > 0) out.push(p.dim(`  (${hidden} less likely cause(s) omitted; use --verbose)`));
  return out;
}

function recommendations(r: Report, p: Painter, verbose: boolean): string[] {
  return [...r.recommendations].sort((a, b) => a.priority - b.priority).flatMap((rec) => [
    ...hanging(`[${rec.category}] ${rec.action}`, `  ${rec.priority}. `),
    ...(verbose ? hanging(rec.rationale, '       why: ').map((l) => p.dim(l)) : []),
    // Commands are never wrapped: they must survive copy and paste.
    ...(rec.command ? [`       ${p.cmd(`$ ${rec.command}`)}`] : []),
  ]);
}

function problems(r: Report): string[] {
  return r.problems.flatMap((pr) => {
    const where = [pr.metric, pr.entity].filter(Boolean).join(', ');
    return hanging(`${pr.source} ${pr.kind}${where ? ` (${where})` : ''}: ${pr.message}`, '  - ');
  });
}

export function renderText(input: Report, opts: TextOptions): string {
  const report = stripControl(input);
  const p = createPainter(opts.color);
  const verbose = opts.verbose ?? false;
  const causesTitle = report.rootCauses.length ? 'ROOT CAUSES (most likely first)' : 'ROOT CAUSES';
  // With missing data, "no finding" is not a clean bill of health: say where the gaps are.
  const nothing = report.status === 'unknown' ? `none found, but the data was incomplete: see COVERAGE${report.problems.length ? ' and PROBLEMS' : ''}` : null;
  // When nothing could be judged, what failed to collect is the first thing to fix.
  const problemsFirst = report.status === 'unknown';
  const problemLines = section('PROBLEMS (what could not be collected)', p, problems(report));
  const coverageLines = section('COVERAGE (core signals per member)', p, coverage(report, p));
  const noCause = report.findings.length ? 'none identified' : 'none: no symptom to explain';
  const lines = [
    ...banner(report, p),
    '',
    ...hanging(report.headline, '', WIDTH).map((l) => p.bold(l)),
    ...(problemsFirst ? [...coverageLines, ...problemLines] : []),
    ...section('MEMBERS', p, members(report, p)),
    ...section('SUBSYSTEMS', p, subsystems(report, p)),
    ...section('KEY INDICATORS', p, kpis(report, p)),
    ...section(`FINDINGS (${report.findings.length})`, p, report.findings.length ? findings(report, p, verbose) : [`  ${nothing ?? 'none: every etcd signal is within its target'}`]),
    ...section(`RISKS (${report.risks.length}; beyond target, they do not set the status)`, p, risks(report, p, verbose)),
    ...section(causesTitle, p, report.rootCauses.length ? rootCauses(report, p, verbose) : [`  ${nothing ?? noCause}`]),
    ...section('RECOMMENDATIONS (by priority)', p, recommendations(report, p, verbose)),
    ...(problemsFirst ? [] : [...coverageLines, ...problemLines]),
    '',
    p.dim(`report ${report.id} | schema v${report.schemaVersion} | generated ${formatUtc(report.generatedAt)} UTC${report.baseline ? ` | baseline ${report.baseline.id} (${formatUtc(report.baseline.generatedAt)} UTC)` : ''}`),
  ];
  return `${lines.join('\n')}\n`;
}
