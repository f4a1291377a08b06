import type { Command } from 'commander';
import { collectSnapshot } from '@etcd-analyzer/shared/sources';
import type { ClusterSnapshot } from '@etcd-analyzer/shared/schema';
import { addSourceOptions, toCollectRequest, type SourceFlags } from '../options/source-options.ts';
import { formatValue } from '@etcd-analyzer/shared/catalog';
import { ExitCode } from '../errors.ts';

const HEADLINE = ['walFsyncP99', 'backendCommitP99', 'peerRttP99', 'proposalsCommittedRate', 'leaderChanges', 'dbSize', 'dbFragmentationPercent', 'processCpuPercent'];

export function renderSnapshotText(s: ClusterSnapshot): string {
  const lines: string[] = [];
  lines.push(`cluster ${s.cluster}  source ${s.source}  window ${s.window.start} .. ${s.window.end} (step ${s.window.stepSeconds}s)`);
  lines.push(`members: ${s.members.map((m) => `${m.name}${m.present ? '' : ' (MISSING)'}`).join(', ') || 'none found'}`);
  if (s.nodes.length) lines.push(`nodes: ${s.nodes.join(', ')}`);
  lines.push('');
  const names = s.members.map((m) => m.name);
  lines.push(['metric'.padEnd(26), ...names.map((n) => n.padStart(22))].join(''));
  for (const id of HEADLINE) {
    const row = names.map((n) => {
      const sum = s.series.find((x) => x.metric === id && x.entity === n)?.summary;
      if (!sum) return 'no data'.padStart(22);
      return `${formatValue(sum.avg, s.series.find((x) => x.metric === id)?.unit ?? '')} / ${formatValue(sum.max, s.series.find((x) => x.metric === id)?.unit ?? '')}`.padStart(22);
    });
    lines.push([id.padEnd(26), ...row].join(''));
  }
  lines.push('(avg / max over the window)');
  if (s.status) {
    lines.push('');
    lines.push(`etcd status: leader ${s.status.leader?.name ?? 'none'}; ${s.status.endpoints.length} endpoints, ${s.status.endpoints.filter((e) => e.healthy).length} healthy; alarms: ${s.status.alarms.map((a) => a.alarm).join(', ') || 'none'}`);
  }
  // Exact counts: the events themselves are a bounded sample.
  const kinds = new Map<string, number>();
  if (s.logs) for (const c of s.logs.counts) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + c.count);
  else for (const e of s.logEvents) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  if (kinds.size) lines.push(`log events: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  for (const f of s.logs?.files ?? []) lines.push(`log ${f.file}: ${f.lines} lines, ${f.events} events, ${f.ordinary} ordinary, ${f.unknown} unknown${f.outsideWindow ? `, ${f.outsideWindow} events outside the window` : ''}`);
  lines.push('');
  lines.push(s.problems.length ? `problems (${s.problems.length}):` : 'problems: none');
  for (const p of s.problems) lines.push(`  - [${p.source}/${p.kind}] ${p.message}`);
  lines.push(`${s.series.length} series, ${s.stats.requests} requests, ${s.stats.wallMs} ms`);
  return `${lines.join('\n')}\n`;
}

export function registerCollect(program: Command): void {
  addSourceOptions(
    program
      .command('collect')
      .description('collect one ClusterSnapshot: every catalog metric per member, etcd status, log events, and what could not be collected')
      .option('--json', 'print the snapshot as JSON'),
  ).action(async (flags: SourceFlags & { json?: boolean }) => {
    const progress = process.stderr.isTTY ? (m: string) => process.stderr.write(`\r\x1b[K${m}`) : undefined;
    const snapshot = await collectSnapshot(toCollectRequest(flags), progress ? { onProgress: progress } : {});
    if (progress) process.stderr.write('\r\x1b[K');
    process.stdout.write(flags.json ? `${JSON.stringify(snapshot)}\n` : renderSnapshotText(snapshot));
    // Printed either way, so the problems are visible; the exit code tells scripts nothing came back.
    if (snapshot.series.length === 0 && !snapshot.status?.members.length && snapshot.logEvents.length === 0) throw new ExitCode(3);
  });
}
