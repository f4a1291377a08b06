/**
 * The report as GitHub-flavoured Markdown, for tickets, pull requests and wikis. Same content and
 * order as the text report; every string from the report is escaped, so a member name or a log
 * line cannot break a table or inject HTML.
 */
import type { Recommendation, Report } from '../schema/index.ts';
import {
  escapeMarkdown as md,
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
} from './format.ts';

/** Cells are escaped by the caller; this only lays them out. */
function mdTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, align: ReadonlyArray<'l' | 'r'> = []): string[] {
  const sep = head.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  const row = (cells: readonly string[]): string => `| ${cells.map((c) => c || ' ').join(' | ')} |`;
  return [row(head), row(sep), ...rows.map(row), ''];
}

/** A fence longer than any backtick run in the content, so a command cannot close it early. */
function codeBlock(code: string, lang = 'sh'): string[] {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, code, fence];
}

function section(title: string, body: string[]): string[] {
  return body.length ? [`## ${title}`, '', ...body] : [];
}

function overview(r: Report): string[] {
  return mdTable(
    ['Status', 'Score', 'Cluster', 'Window', 'Source', ...(r.baseline ? ['Baseline'] : [])],
    [[`**${statusLabel(r.status)}**`, `${formatScore(r.score)} (grade ${md(r.grade)})`, md(r.cluster), md(formatWindow(r.window)), md(r.source), ...(r.baseline ? [`${md(r.baseline.id)} (${md(formatUtc(r.baseline.generatedAt))} UTC)`] : [])]],
  );
}

function members(r: Report): string[] {
  if (r.members.length === 0) return ['No members found.', ''];
  const leaderKnown = r.members.some((m) => m.leader);
  const rows = r.members.map((m) => [md(m.name), m.leader ? '**leader**' : leaderKnown ? 'follower' : 'unknown', m.present ? 'present' : '**MISSING**']);
  return [...mdTable(['Member', 'Role', 'Data'], rows), ...(leaderKnown ? [] : ['**No leader identified.**', ''])];
}

function kpis(r: Report): string[] {
  if (r.kpis.length === 0) return [];
  const withBaseline = r.baseline !== null;
  return [
    ...mdTable(
      ['Indicator', 'Member', 'Latest', 'Judged', 'Threshold', ...(withBaseline ? ['Change'] : []), 'Status'],
      r.kpis.map((k) => [md(k.label), md(memberLabel(k.member)), md(formatMeasure(k.value, k.unit)), k.judged === undefined || k.judged === null ? '-' : md(formatMeasure(k.judged, k.unit)), md(formatThreshold(k.threshold, k.unit)), ...(withBaseline ? [md(formatChange(k.change))] : []), k.status === 'healthy' || k.status === 'unknown' ? kpiStatusLabel(k.status) : `**${kpiStatusLabel(k.status, k.risk)}**`]),
      ['l', 'l', 'r', 'r', 'r', ...(withBaseline ? ['r' as const] : []), 'l'],
    ),
    '_Latest_: the last value in the window. _Judged_: the value a finding judged (the level held, or the peak).',
    '',
  ];
}

function coverage(r: Report): string[] {
  const c = r.coverage;
  const rows = c.members.map((m) => [md(m.member), m.down ? '**not reporting**' : `${m.present}/${m.expected}`, md(m.missing.join(', ') || '-'), md(m.partial.join(', ') || '-'), `${Math.round(m.span * 100)} %`]);
  return [
    `${c.complete ? '' : '**Incomplete.** '}${md(c.summary)}`,
    '',
    ...(rows.length ? mdTable(['Member', 'Core signals', 'Missing', 'Partial', 'Window covered'], rows, ['l', 'r', 'l', 'l', 'r']) : []),
    ...(r.logsOutsideWindow ? [`${r.logsOutsideWindow} log event(s) fall outside the window: counted, not judged.`, ''] : []),
  ];
}

function risks(r: Report): string[] {
  if (r.risks.length === 0) return [];
  return mdTable(['Level', 'Where', 'Risk', 'Evidence'], r.risks.map((f) => [
    statusLabel(f.severity),
    md(memberLabel(f.member)),
    md(f.summary),
    f.evidence.map((e) => md(`${e.metric} ${formatMeasure(e.value, e.unit)}, ${e.basis}`)).join('<br>'),
  ]));
}

function findings(r: Report, none: string): string[] {
  if (r.findings.length === 0) return [none, ''];
  return mdTable(['Severity', 'Member', 'Finding', 'Evidence'], r.findings.map((f) => [
    `**${statusLabel(f.severity)}**`,
    md(memberLabel(f.member)),
    md(f.summary),
    f.evidence.map((e) => md(`${e.metric} ${formatMeasure(e.value, e.unit)}${e.threshold === undefined ? '' : ` (threshold ${formatThreshold(e.threshold, e.unit)})`}, ${e.basis}`)).join('<br>'),
  ]));
}

/** A numbered list item; continuation lines are indented to the item's text column. */
function recommendation(rec: Recommendation, n: string): string[] {
  const indent = ' '.repeat(n.length + 1);
  return [
    `${n} **${md(rec.action)}** _(${md(rec.category)})_  `,
    `${indent}${md(rec.rationale)}`,
    ...(rec.command ? ['', ...codeBlock(rec.command).map((l) => `${indent}${l}`)] : []),
    '',
  ];
}

/** Actions that are also in the main list are referred to by number instead of repeated. */
function causeActions(recs: readonly Recommendation[], all: readonly Recommendation[]): string[] {
  return recs.flatMap((rec) => {
    const same = all.find((a) => a.action === rec.action);
    if (same) return [`- ${md(rec.action)} (recommendation ${same.priority})`];
    return [`- ${md(rec.action)}`, ...(rec.command ? ['', ...codeBlock(rec.command).map((l) => `  ${l}`), ''] : [])];
  });
}

function rootCauses(r: Report, none: string): string[] {
  if (r.rootCauses.length === 0) return [none, ''];
  return r.rootCauses.flatMap((c, i) => [
    `### ${i + 1}. ${md(c.cause)}`,
    '',
    `**${formatConfidence(c.confidence)} confidence** · ${md(c.subsystem)} · ${md(c.where)} · explains ${c.explains.length} finding(s)`,
    '',
    ...c.evidence.map((e) => `- ${md(e)}`),
    '',
    ...(c.recommendations.length ? ['What to do:', '', ...causeActions(c.recommendations, r.recommendations), ''] : []),
  ]);
}

function problems(r: Report): string[] {
  return r.problems.map((p) => {
    const where = [p.metric, p.entity].filter(Boolean).join(', ');
    return `- **${md(p.source)}** ${md(p.kind)}${where ? ` (${md(where)})` : ''}: ${md(p.message)}`;
  });
}

export function renderMarkdown(report: Report): string {
  const r = report;
  const none = r.status === 'unknown' ? `None found, but the data was incomplete: see Coverage${r.problems.length ? ' and Problems' : ''}.` : 'None.';
  const problemSection = section('Problems (what could not be collected)', r.problems.length ? [...problems(r), ''] : []);
  const coverageSection = section('Coverage (core signals per member)', coverage(r));
  const lines = [
    `# etcd analysis: ${md(r.cluster)} is ${statusLabel(r.status)}`,
    '',
    `> ${md(r.headline)}`,
    '',
    ...overview(r),
    // When nothing could be judged, what failed to collect is the first thing to fix.
    ...(r.status === 'unknown' ? [...coverageSection, ...problemSection] : []),
    ...section('Members', members(r)),
    ...section('Subsystems', r.subsystems.length ? mdTable(['Subsystem', 'Score', 'Status', 'Summary'], r.subsystems.map((s) => [md(s.name), formatScore(s.score), statusLabel(s.status), md(s.summary)]), ['l', 'r', 'l', 'l']) : []),
    ...section('Key indicators', kpis(r)),
    ...section(`Findings (${r.findings.length})`, findings(r, none)),
    ...section(`Risks (${r.risks.length}; beyond target, they do not set the status)`, risks(r)),
    ...section('Root causes (most likely first)', rootCauses(r, r.findings.length || r.status === 'unknown' ? none : 'None: no symptom to explain.')),
    ...section('Recommendations (by priority)', [...r.recommendations].sort((a, b) => a.priority - b.priority).flatMap((rec) => recommendation(rec, `${rec.priority}.`))),
    ...(r.status === 'unknown' ? [] : [...coverageSection, ...problemSection]),
    '---',
    '',
    `<sub>Report ${md(r.id)} · schema v${r.schemaVersion} · generated ${md(formatUtc(r.generatedAt))} UTC</sub>`,
  ];
  return `${lines.join('\n')}\n`;
}
