import { describe, expect, it } from 'vitest';
import type { Report } from '../schema/index.ts';
import { buildFixtureReport, buildUnknownReport } from './fixtures.ts';
import { renderMarkdown } from './render-markdown.ts';

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
const cells = (row: string): string[] => row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '').split(/(?<!\\)\|/);

/** Every table: same cell count on each row as its header, and a separator row second. */
function tables(md: string): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) cur.push(line);
    else if (cur.length) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

function expectWellFormed(md: string): void {
  const all = tables(md);
  expect(all.length).toBeGreaterThan(0);
  for (const t of all) {
    const width = cells(t[0]!).length;
    expect(t.length, t.join('\n')).toBeGreaterThanOrEqual(3);
    expect(cells(t[1]!).every((c) => /^ ?:?-{3,}:? ?$/.test(c)), t[1]).toBe(true);
    for (const row of t) expect(cells(row), row).toHaveLength(width);
  }
}

describe('renderMarkdown', () => {
  const report = buildFixtureReport();
  const md = renderMarkdown(report);

  it('has every section in order', () => {
    const order = ['# etcd analysis: prod-east-1 is CRITICAL', '> etcd is a bottleneck', '## Members', '## Subsystems', '## Key indicators', '## Findings (3)', '## Risks (1;', '## Root causes', '### 1. Slow disk on etcd-1', '## Recommendations', '## Coverage', '## Problems', 'Report rep-20250512-0930-7f3a'];
    const at = order.map((s) => md.indexOf(s));
    expect(at.every((i) => i >= 0), `missing: ${order.filter((_, k) => at[k] === -1).join(', ')}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md).toContain('| WAL fsync p99 | etcd-1 | 58.3 ms | 61.3 ms | 10.0 ms | **CRITICAL** |');
    expect(md).toContain('| Node CPU | node-b | 78.2 % | 74.9 % | 70.0 % | **RISK** |');
    expect(md).toContain('| etcd-1 | **leader** | present |');
  });

  it('does not call members followers when no leader is known', () => {
    const out = renderMarkdown({ ...report, members: report.members.map((m) => ({ ...m, leader: false })) });
    expect(out).toContain('| etcd-1 | unknown | present |');
    expect(out).toContain('**No leader identified.**');
  });

  it('writes well-formed tables', () => {
    expectWellFormed(md);
  });

  it('escapes pipes and markup from report strings, keeping tables intact', () => {
    const r: Report = {
      ...report,
      members: [...report.members, { name: 'etcd|3 <script>alert(1)</script>', present: false }],
      findings: report.findings.map((f) => ({ ...f, member: 'a|b', summary: `${f.summary} | with a pipe\nand a newline` })),
    };
    const out = renderMarkdown(r);
    expectWellFormed(out);
    expect(out).toContain('| etcd\\|3 \\<script\\>alert(1)\\</script\\> | follower | **MISSING** |');
    expect(out).toContain('| a\\|b | WAL fsync p99 on etcd-1 held 61.3 ms for 30m (threshold 10.0 ms) \\| with a pipe and a newline |');
    expect(out).not.toMatch(/(?<!\\)<script>/);
  });

  it('puts commands in fences that their own backticks cannot close', () => {
    expect(md).toContain('   ```sh\n   lsblk -o NAME,ROTA,MODEL,MOUNTPOINT; findmnt /var/lib/etcd\n   ```');
    const r: Report = { ...report, recommendations: [{ ...report.recommendations[0]!, command: 'echo ```; ls' }] };
    expect(renderMarkdown(r)).toContain('   ````sh\n   echo ```; ls\n   ````');
  });

  it('copes with a report with no data: problems first, no false all-clear', () => {
    const out = renderMarkdown(buildUnknownReport());
    expect(out).toContain('# etcd analysis: lab is UNKNOWN');
    expect(out).toContain('No members found.');
    expect(out).toContain('- **prometheus** unreachable: connect ECONNREFUSED 127.0.0.1:9090');
    expect(out.indexOf('## Problems')).toBeLessThan(out.indexOf('## Findings'));
    expect(out).not.toContain('## Key indicators');
    expectWellFormed(out);
  });
});
