import { describe, expect, it } from 'vitest';
import { EtcdAnalyzerError } from '../errors/index.ts';
import type { Report } from '../schema/index.ts';
import { buildChartView } from './chart-view.ts';
import { buildFixtureReport, buildUnknownReport } from './fixtures.ts';
import { renderHtml } from './render-html.ts';

// A stand-in for the library: the real one is exercised in the browser by the integration test.
const ASSETS = { chartJs: 'window.uPlot = function () {}; // </script> inside the library', chartCss: '.uplot { display: block }' };
const EVIL = '<script>alert(1)</script>';

function jsonBlock(html: string, id: string): string {
  const m = html.match(new RegExp(`<script type="application/json" id="${id}">([^]*?)</script>`));
  if (!m) throw new Error(`no #${id} block`);
  return m[1]!;
}

describe('renderHtml', () => {
  const report = buildFixtureReport();
  const html = renderHtml(report, ASSETS);

  it('is one self-contained page: no external resources, and a CSP that forbids fetching any', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<link\b|\bsrc=|@import|url\(/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`);
    expect(html).toContain('.uplot { display: block }');
  });

  it('has every section, and one chart holder per chart', () => {
    for (const s of ['CRITICAL', '58/100', 'prod-east-1', 'Members', 'Subsystems', 'Key indicators', 'Key series per member', 'Findings (3)', 'Root causes, most likely first', 'Recommendations, by priority', 'Risks (1)', 'Coverage: core signals per member', 'Problems: what could not be collected', 'rep-20250512-0930-7f3a', 'schema v2']) {
      expect(html, s).toContain(s);
    }
    expect(html.match(/data-chart="\d+"/g)).toHaveLength(report.charts.length);
    expect(html).toContain('<span class="badge leader">leader</span>');
    expect(html).toContain('<tr class="critical"><td>WAL fsync p99</td><td>etcd-1</td><td class="num">58.3 ms</td><td class="num"><span title="held for 1800 s (needs 60 s)">61.3 ms</span></td><td class="num">10.0 ms</td>');
  });

  it('embeds the report as JSON that parses back to the report and cannot close its script element', () => {
    const raw = jsonBlock(html, 'report-data');
    expect(raw).not.toContain('<');
    expect(JSON.parse(raw)).toEqual(report);
  });

  it('escapes every report string, so a hostile member name or log line stays text', () => {
    const r: Report = {
      ...report,
      cluster: EVIL,
      headline: EVIL,
      members: [...report.members, { name: EVIL, present: false }],
      findings: report.findings.map((f) => ({ ...f, summary: EVIL })),
      rootCauses: report.rootCauses.map((c) => ({ ...c, evidence: [EVIL] })),
      problems: [{ source: 'logs', kind: 'malformed', message: EVIL, entity: '"><img onerror=x>' }],
      charts: report.charts.map((c) => ({ ...c, title: EVIL, series: c.series.map((s) => ({ ...s, member: EVIL })) })),
    };
    const out = renderHtml(r, ASSETS);
    expect(out).not.toContain('<script>alert');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The two JSON blocks, the library, the chart script: nothing else opens a script element.
    expect(out.match(/<script\b/g)).toHaveLength(4);
    expect(JSON.parse(jsonBlock(out, 'report-data')).cluster).toBe(EVIL);
  });

  it('warns when no member is known to lead', () => {
    expect(html).not.toContain('no leader identified');
    const out = renderHtml({ ...report, members: report.members.map((m) => ({ ...m, leader: false })) }, ASSETS);
    expect(out).toContain('<span class="badge warning">no leader identified</span>');
  });

  it('keeps a closing tag inside the chart library from ending its element', () => {
    expect(html).toContain('// <\\/script> inside the library');
  });

  it('refuses to render without the chart library', () => {
    expect(() => renderHtml(report, { chartJs: '' })).toThrow(EtcdAnalyzerError);
    expect(() => renderHtml(report, { chartJs: ' ' })).toThrow(/assets\.chartJs/);
  });

  it('copes with a report with no data: no charts, problems first', () => {
    const out = renderHtml(buildUnknownReport(), ASSETS);
    expect(out).toContain('UNKNOWN');
    expect(out).toContain('No members found.');
    expect(out).toContain('no data in this window');
    expect(out).not.toContain('data-chart=');
    expect(out.indexOf('Problems: what could not be collected')).toBeLessThan(out.indexOf('Findings (0)'));
    expect(out).toContain('None found, but the data was incomplete');
  });
});

describe('buildChartView', () => {
  const report = buildFixtureReport();
  const view = buildChartView(report);

  it('gives each member one distinct colour, the same in every chart', () => {
    const colors = report.members.map((m) => view.colors[m.name]);
    expect(new Set(colors).size).toBe(3);
    expect(colors.every((c) => /^#[0-9A-F]{6}$/i.test(c ?? ''))).toBe(true);
  });

  it('scales values to display units and draws only thresholds near the data', () => {
    const byMetric = Object.fromEntries(report.charts.map((c, i) => [c.metric, view.charts[i]]));
    expect(byMetric.walFsyncP99).toEqual({ factor: 1000, suffix: 'ms', thresholdOnScale: true });
    expect(byMetric.peerRttP99?.thresholdOnScale).toBe(false);
    expect(byMetric.dbSize).toMatchObject({ suffix: 'MiB', thresholdOnScale: false });
    expect(byMetric.leaderChangesRate?.thresholdOnScale).toBe(false);
    expect(view.window).toEqual([Date.parse(report.window.start) / 1000, Date.parse(report.window.end) / 1000]);
  });

  it('handles charts without series and members that only appear in charts', () => {
    const r: Report = { ...buildUnknownReport(), charts: [{ metric: 'x', title: 'x', unit: 'seconds', threshold: 0.01, series: [{ member: 'ghost', points: [] }] }] };
    const v = buildChartView(r);
    expect(v.charts[0]).toEqual({ factor: 1000, suffix: 'ms', thresholdOnScale: false });
    expect(v.colors.ghost).toBeDefined();
  });
});
