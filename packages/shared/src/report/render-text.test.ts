import { describe, expect, it } from 'vitest';
import type { Report } from '../schema/index.ts';
import { buildFixtureReport, buildUnknownReport } from './fixtures.ts';
import { renderText } from './render-text.ts';

const ESC = '\x1b[';
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('renderText', () => {
  const report = buildFixtureReport();
  const plain = renderText(report, { color: false });

  it('has no escape codes without colour, and colour changes nothing but escape codes', () => {
    expect(plain).not.toContain(ESC);
    const colored = renderText(report, { color: true });
    expect(colored).toContain(`${ESC}1;97;41m CRITICAL `);
    expect(stripAnsi(colored)).toBe(plain);
  });

  it('keeps escape sequences hidden in report strings out of the terminal', () => {
    const r: Report = { ...report, members: [...report.members, { name: 'etcd-3\x1b[2J\x1b]0;pwned\x07', present: false }], headline: 'bad\x1b[31m news' };
    const out = renderText(r, { color: false });
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(out).toContain('etcd-3\ufffd[2J\ufffd]0;pwned\ufffd');
  });

  it('puts the verdict first and every section in order', () => {
    const lines = plain.split('\n');
    expect(lines[0]).toMatch(/CRITICAL +score 58\/100 +grade F/);
    expect(lines[1]).toContain('cluster prod-east-1 | source prometheus | window 2025-05-12 09:00:00 to 09:30:00 UTC (30m)');
    const order = ['etcd is a bottleneck', 'MEMBERS', 'SUBSYSTEMS', 'KEY INDICATORS', 'FINDINGS (3)', 'RISKS (1;', 'ROOT CAUSES', 'RECOMMENDATIONS', 'COVERAGE', 'PROBLEMS', 'report rep-20250512-0930-7f3a | schema v2'];
    const at = order.map((s) => plain.indexOf(s));
    expect(at.every((i) => i >= 0), `missing: ${order.filter((_, k) => at[k] === -1).join(', ')}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('shows KPI values in their units with thresholds and status', () => {
    expect(plain).toMatch(/WAL fsync p99 +etcd-1 +58\.3 ms +61\.3 ms +10\.0 ms +CRITICAL/);
    expect(plain).toMatch(/DB size +etcd-1 +412\.0 MiB +- +6\.0 GiB +OK/);
    expect(plain).toMatch(/DB quota used +etcd-1 +5\.0 % +- +80\.0 % +OK/);
    expect(plain).toMatch(/Node I\/O wait +cluster +n\/a +- +10\.0 % +NO DATA/);
    // A risk is beyond its target but no symptom: its row says RISK, not WARNING.
    expect(plain).toMatch(/Node CPU +node-b +78\.2 % +74\.9 % +70\.0 % +RISK/);
    expect(plain).toMatch(/RISK +\[node-b\] CPU on node node-b held 74\.9 %/);
  });

  it('marks the leader and missing members', () => {
    const r: Report = { ...report, members: report.members.map((m) => (m.name === 'etcd-2' ? { ...m, present: false } : m)) };
    const out = renderText(r, { color: false });
    expect(out).toMatch(/etcd-1 +leader/);
    expect(out).toMatch(/etcd-2 +follower +MISSING/);
    expect(out).not.toMatch(/etcd-0 .*MISSING/);
  });

  it('says so when no member is known to lead, instead of calling them all followers', () => {
    const r: Report = { ...report, members: report.members.map((m) => ({ ...m, leader: false })) };
    const out = renderText(r, { color: false });
    expect(out).toContain('  etcd-1\n');
    expect(out).not.toContain('follower');
    expect(out).toContain('  no leader identified\n');
    expect(stripAnsi(renderText(r, { color: true }))).toBe(out);
  });

  it('ranks root causes with confidence and evidence, and refers to recommendations by number', () => {
    expect(plain).toContain('  1. Slow disk on etcd-1 (the leader)\n     85 % confidence | disk | member etcd-1');
    expect(plain).toContain('       - the other members stay low: WAL fsync p99 etcd-0 2.10 ms, etcd-2 1.90 ms');
    expect(plain).toContain('       #1 Measure the etcd data disk of etcd-1');
    expect(plain).toContain('  2. Leadership unstable');
  });

  it('prints each command whole on one line, and keeps other lines within 100 columns', () => {
    for (const rec of report.recommendations) expect(plain).toContain(`$ ${rec.command}\n`);
    const long = plain.split('\n').filter((l) => l.length > 100 && !l.trimStart().startsWith('$ '));
    expect(long).toEqual([]);
  });

  it('adds evidence details and rationales only when verbose', () => {
    const verbose = renderText(report, { color: false, verbose: true });
    expect(verbose).toContain('- walFsyncP99 on etcd-1 = 61.3 ms (threshold 50.0 ms), sustained 30m of 30m');
    expect(verbose).toContain('why: etcd needs the 99th percentile of fdatasync under 10 ms');
    expect(plain).not.toContain('sustained 30m of 30m');
    expect(plain).not.toContain('why:');
  });

  it('shows three root causes unless verbose, and says how many it left out', () => {
    const cause = report.rootCauses[1]!;
    const r: Report = { ...report, rootCauses: [0.5, 0.4, 0.3, 0.2, 0.1].map((c, i) => ({ ...cause, id: `c${i}`, cause: `Cause number ${i}`, confidence: c })) };
    const out = renderText(r, { color: false });
    expect(out).toContain('Cause number 2');
    expect(out).not.toContain('Cause number 3');
    expect(out).toContain('(2 less likely cause(s) omitted; use --verbose)');
    expect(renderText(r, { color: false, verbose: true })).toContain('Cause number 4');
  });

  it('adds a change column when there is a baseline', () => {
    const r: Report = { ...report, baseline: { id: 'rep-old', generatedAt: '2025-05-01T00:00:00Z' }, kpis: report.kpis.map((k) => ({ ...k, baseline: 0.01, change: 0.5 })) };
    const out = renderText(r, { color: false });
    expect(out).toMatch(/INDICATOR +MEMBER +LATEST +JUDGED +THRESHOLD +CHANGE +STATUS/);
    expect(out).toContain('+50 %');
    expect(out).toContain('baseline rep-old');
  });

  it('copes with a report with no data: problems first, no false all-clear', () => {
    const out = renderText(buildUnknownReport(), { color: false });
    expect(out).toMatch(/^etcd analysis +UNKNOWN +score n\/a +grade \?/);
    expect(out).toContain('no members found');
    expect(out).toContain('- prometheus unreachable: connect ECONNREFUSED 127.0.0.1:9090');
    expect(out.indexOf('PROBLEMS')).toBeLessThan(out.indexOf('FINDINGS (0)'));
    expect(out.indexOf('COVERAGE')).toBeLessThan(out.indexOf('FINDINGS (0)'));
    expect(out).toContain('none found, but the data was incomplete: see COVERAGE and PROBLEMS');
    expect(out).not.toContain('within its target');
    expect(out).not.toContain('KEY INDICATORS');
  });
});
