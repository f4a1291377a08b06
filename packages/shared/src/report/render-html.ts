/**
 * The report as one self-contained HTML file: opens offline, fetches nothing (a CSP forbids it),
 * and carries the report itself as JSON for anyone who wants the numbers. Every report string is
 * HTML-escaped here, and the embedded JSON cannot close its <script> element.
 */
import { EtcdAnalyzerError } from '../errors/index.ts';
import type { Recommendation, Report, Status } from '../schema/index.ts';
import { buildChartView, type ChartView } from './chart-view.ts';
import {
  chartScale,
  escapeHtml as esc,
  formatChange,
  formatConfidence,
  formatMeasure,
  formatScore,
  formatThreshold,
  formatUtc,
  formatWindow,
  jsonForScript,
  kpiStatusLabel,
  memberLabel,
  statusLabel,
} from './format.ts';
import { CHART_CLIENT_JS } from './html-client.ts';
import { REPORT_CSS } from './html-style.ts';

/** Static files the page inlines; the caller reads them (report/ does no I/O). */
export interface HtmlAssets {
  /** The uPlot IIFE build (defines the global `uPlot`). */
  readonly chartJs: string;
  readonly chartCss?: string;
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Inline code must not contain the closing tag of its own element. */
const inlineScript = (js: string): string => js.replace(/<\/(script)/gi, '<\\/$1');
const inlineStyle = (css: string): string => css.replace(/<\/(style)/gi, '<\\/$1');

const badge = (status: Status, text: string): string => `<span class="badge ${status}">${esc(text)}</span>`;

function section(title: string, body: string, extra = ''): string {
  return `<section class="card"${extra}><h2>${esc(title)}</h2>${body}</section>`;
}

function banner(r: Report): string {
  return `<header class="banner ${r.status}"><div class="inner">
  <div class="verdict"><small>etcd analysis</small>${esc(statusLabel(r.status))}</div>
  <div class="score">${esc(formatScore(r.score))} <small>grade ${esc(r.grade)}</small></div>
  <dl class="meta"><dt>cluster</dt><dd>${esc(r.cluster)}</dd><dt>window</dt><dd>${esc(formatWindow(r.window))}</dd><dt>source</dt><dd>${esc(r.source)}</dd>${r.baseline ? `<dt>baseline</dt><dd>${esc(r.baseline.id)}</dd>` : ''}</dl>
</div></header>`;
}

function members(r: Report, colors: Readonly<Record<string, string>>): string {
  if (r.members.length === 0) return '<p class="muted">No members found.</p>';
  const chips = r.members.map((m) => {
    const dot = `<span class="dot" style="background:${esc(colors[m.name] ?? '#555')}"></span>`;
    const tags = `${m.leader ? '<span class="badge leader">leader</span>' : ''}${m.present ? '' : '<span class="badge critical">missing</span>'}`;
    return `<span class="chip${m.present ? '' : ' missing'}">${dot}${esc(m.name)}${tags}</span>`;
  });
  const noLeader = r.members.some((m) => m.leader) ? '' : `<p>${badge('warning', 'no leader identified')}</p>`;
  return `<div class="chips">${chips.join('')}</div>${noLeader}`;
}

function subsystems(r: Report): string {
  if (r.subsystems.length === 0) return '<p class="muted">No subsystem could be scored.</p>';
  return `<div class="subsystems">${r.subsystems.map((s) => `<div class="subsystem">
  <div class="name">${esc(s.name)}</div>
  <div class="num">${esc(formatScore(s.score))} ${badge(s.status, statusLabel(s.status))}</div>
  <div class="bar ${s.status}"><span style="width:${s.score ?? 0}%"></span></div>
  <div class="muted">${esc(s.summary)}</div></div>`).join('')}</div>`;
}

function kpis(r: Report): string {
  if (r.kpis.length === 0) return '<p class="muted">No indicator could be measured.</p>';
  const withBaseline = r.baseline !== null;
  const head = `<tr><th>Indicator</th><th>Member</th><th class="num" title="the last value in the window">Latest</th><th class="num" title="the value a finding judged: the level held, or the peak">Judged</th><th class="num">Threshold</th>${withBaseline ? '<th class="num">Change</th>' : ''}<th>Status</th></tr>`;
  const rows = r.kpis.map((k) => {
    const judged = k.judged === undefined || k.judged === null ? '-' : `<span title="${esc(k.judgedBasis ?? '')}">${esc(formatMeasure(k.judged, k.unit))}</span>`;
    return `<tr class="${k.status}"><td>${esc(k.label)}</td><td>${esc(memberLabel(k.member))}</td><td class="num">${esc(formatMeasure(k.value, k.unit))}</td><td class="num">${judged}</td><td class="num">${esc(formatThreshold(k.threshold, k.unit))}</td>${withBaseline ? `<td class="num">${esc(formatChange(k.change))}</td>` : ''}<td>${badge(k.status, kpiStatusLabel(k.status, k.risk))}</td></tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}

function coverage(r: Report): string {
  const c = r.coverage;
  const rows = c.members.map((m) => `<tr class="${m.down ? 'critical' : m.missing.length || m.partial.length ? 'unknown' : 'healthy'}"><td>${esc(m.member)}</td><td class="num">${m.down ? 'not reporting' : `${m.present}/${m.expected}`}</td><td>${esc(m.missing.join(', ') || '-')}</td><td>${esc(m.partial.join(', ') || '-')}</td><td class="num">${Math.round(m.span * 100)} %</td></tr>`);
  const table = rows.length ? `<table><tr><th>Member</th><th class="num">Core signals</th><th>Missing</th><th>Partial</th><th class="num">Window covered</th></tr>${rows.join('')}</table>` : '';
  const logs = r.logsOutsideWindow ? `<p class="muted">${r.logsOutsideWindow} log event(s) fall outside the window: counted, not judged.</p>` : '';
  return `<p>${c.complete ? '' : `${badge('unknown', 'incomplete')} `}${esc(c.summary)}</p>${table}${logs}`;
}

function risks(r: Report): string {
  const rows = r.risks.map((f) => {
    const ev = f.evidence.map((e) => `${esc(e.metric)} ${esc(formatMeasure(e.value, e.unit))}, ${esc(e.basis)}`);
    return `<tr class="${f.severity}"><td>${badge(f.severity, 'RISK')}</td><td>${esc(memberLabel(f.member))}</td><td>${esc(f.summary)}</td><td class="muted">${ev.join('<br>')}</td></tr>`;
  });
  return `<table><tr><th>Level</th><th>Where</th><th>Risk</th><th>Evidence</th></tr>${rows.join('')}</table>`;
}

function charts(r: Report, view: ChartView): string {
  if (r.charts.length === 0) return section('Charts', '<div class="chart-empty">no data in this window</div>');
  const cards = r.charts.map((c, i) => {
    const { suffix } = chartScale(c);
    const offScale = view.charts[i]?.thresholdOnScale ? '' : ', off scale';
    const threshold = c.threshold === null ? '' : ` · threshold ${formatThreshold(c.threshold, c.unit)}${offScale}`;
    return `<div class="card"><div class="chart-head"><h3>${esc(c.title)}</h3><span class="muted">${esc(suffix || c.unit)}${esc(threshold)} · UTC</span></div><div class="chart" data-chart="${i}"></div></div>`;
  });
  return `<h2 class="section-title">Key series per member</h2><section class="charts" aria-label="Charts">${cards.join('')}</section>`;
}

function findings(r: Report, none: string): string {
  if (r.findings.length === 0) return `<p class="muted">${esc(none)}</p>`;
  const rows = r.findings.map((f) => {
    const ev = f.evidence.map((e) => `${esc(e.metric)} ${esc(formatMeasure(e.value, e.unit))}${e.threshold === undefined ? '' : ` (threshold ${esc(formatThreshold(e.threshold, e.unit))})`}, ${esc(e.basis)}`);
    return `<tr class="${f.severity}"><td>${badge(f.severity, statusLabel(f.severity))}</td><td>${esc(memberLabel(f.member))}</td><td>${esc(f.summary)}</td><td class="muted">${ev.join('<br>')}</td></tr>`;
  });
  return `<table><tr><th>Severity</th><th>Member</th><th>Finding</th><th>Evidence</th></tr>${rows.join('')}</table>`;
}

function command(rec: Recommendation): string {
  return rec.command ? `<pre><code>${esc(rec.command)}</code></pre>` : '';
}

function rootCauses(r: Report, none: string): string {
  if (r.rootCauses.length === 0) return `<p class="muted">${esc(none)}</p>`;
  const items = r.rootCauses.map((c) => {
    const todo = c.recommendations.map((rec) => {
      const same = r.recommendations.find((a) => a.action === rec.action);
      return same ? `<li>${esc(rec.action)} <a class="muted" href="#rec-${same.priority}">(recommendation ${same.priority})</a></li>` : `<li>${esc(rec.action)}${command(rec)}</li>`;
    });
    const pct = Math.round(c.confidence * 100);
    return `<li><div class="cause-head"><h3>${esc(c.cause)}</h3>
  <span class="bar confidence" title="confidence"><span style="width:${pct}%"></span></span><strong>${esc(formatConfidence(c.confidence))}</strong> <span class="muted">confidence</span>
  <span class="badge">${esc(c.subsystem)}</span><span class="muted">${esc(c.where)} · explains ${c.explains.length} finding(s)</span></div>
  ${c.evidence.length ? `<ul class="evidence">${c.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
  ${todo.length ? `<strong>What to do</strong><ul class="todo">${todo.join('')}</ul>` : ''}</li>`;
  });
  return `<ol class="causes">${items.join('')}</ol>`;
}

function recommendations(r: Report): string {
  const items = [...r.recommendations].sort((a, b) => a.priority - b.priority).map((rec) => `<li value="${rec.priority}" id="rec-${rec.priority}"><strong>${esc(rec.action)}</strong> <span class="badge">${esc(rec.category)}</span>
  <div class="why">${esc(rec.rationale)}</div>${command(rec)}</li>`);
  return `<ol class="recs">${items.join('')}</ol>`;
}

function problems(r: Report): string {
  return `<ul class="problems">${r.problems.map((p) => {
    const where = [p.metric, p.entity].filter(Boolean).join(', ');
    return `<li><strong>${esc(p.source)}</strong> ${esc(p.kind)}${where ? ` <span class="muted">(${esc(where)})</span>` : ''}: ${esc(p.message)}</li>`;
  }).join('')}</ul>`;
}

export function renderHtml(report: Report, assets: HtmlAssets): string {
  if (typeof assets?.chartJs !== 'string' || assets.chartJs.trim() === '') {
    throw new EtcdAnalyzerError('REPORT_ASSETS', 'renderHtml needs the chart library source in assets.chartJs (load it with loadReportAssets())');
  }
  const r = report;
  const view = buildChartView(r);
  const none = r.status === 'unknown' ? `None found, but the data was incomplete: see Coverage${r.problems.length ? ' and Problems' : ''}.` : 'None.';
  const title = `etcd analysis: ${r.cluster} ${statusLabel(r.status)}`;
  const problemSection = r.problems.length ? section('Problems: what could not be collected', problems(r)) : '';
  const coverageSection = section('Coverage: core signals per member', coverage(r));
  // When nothing could be judged, what failed to collect is the first thing to fix.
  const problemsFirst = r.status === 'unknown';
  const body = [
    `<div class="headline ${r.status}">${esc(r.headline)}</div>`,
    problemsFirst ? coverageSection + problemSection : '',
    `<div class="row">${section('Members', members(r, view.colors))}${section('Subsystems', subsystems(r))}</div>`,
    section('Key indicators', kpis(r)),
    charts(r, view),
    section(`Findings (${r.findings.length})`, findings(r, none)),
    r.risks.length ? section(`Risks (${r.risks.length}): beyond target, they do not set the status`, risks(r)) : '',
    section('Root causes, most likely first', rootCauses(r, r.findings.length || r.status === 'unknown' ? none : 'None: no symptom to explain.')),
    r.recommendations.length ? section('Recommendations, by priority', recommendations(r)) : '',
    problemsFirst ? '' : coverageSection + problemSection,
    `<footer>report <code>${esc(r.id)}</code> · schema v${esc(String(r.schemaVersion))} · generated ${esc(formatUtc(r.generatedAt))} UTC${r.baseline ? ` · baseline <code>${esc(r.baseline.id)}</code> (${esc(formatUtc(r.baseline.generatedAt))} UTC)` : ''}</footer>`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="etcd-analyzer">
<title>${esc(title)}</title>
<style>${inlineStyle(assets.chartCss ?? '')}</style>
<style>${inlineStyle(REPORT_CSS)}</style>
</head>
<body>
${banner(r)}
<main>
${body.filter(Boolean).join('\n')}
</main>
<script type="application/json" id="report-data">${jsonForScript(r)}</script>
<script type="application/json" id="chart-view">${jsonForScript(view)}</script>
<script>${inlineScript(assets.chartJs)}</script>
<script>${inlineScript(CHART_CLIENT_JS)}</script>
</body>
</html>
`;
}
