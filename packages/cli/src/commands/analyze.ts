import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '@etcd-analyzer/shared/errors';
import { analyzeCluster } from '@etcd-analyzer/shared/pipeline';
import { parseAnalysisConfig, type AnalysisConfig } from '@etcd-analyzer/shared/rules';
import { renderHtml, renderJson, renderMarkdown, renderText } from '@etcd-analyzer/shared/report';
import { loadReportAssets } from '@etcd-analyzer/shared/report-assets';
import { ReportSchema, type Report } from '@etcd-analyzer/shared/schema';
import { addSourceOptions, toCollectRequest, type SourceFlags } from '../options/source-options.ts';
import { createProgress } from '../progress.ts';
import { ExitCode } from '../errors.ts';
import { finishReportDir, prepareReportDir, writeSnapshotJson } from '../output/report-dir.ts';

const FORMATS = ['text', 'json', 'markdown', 'html'] as const;
type Format = (typeof FORMATS)[number];

interface AnalyzeFlags extends SourceFlags {
  config?: string;
  baseline?: string;
  format: string;
  exportHtml?: boolean;
  out?: string;
  verbose?: boolean;
}

export const EXIT_BY_STATUS: Readonly<Record<Report['status'], number>> = { healthy: 0, warning: 1, critical: 2, unknown: 3 };

function readConfig(path: string | undefined): AnalysisConfig | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`--config: cannot read "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseAnalysisConfig(text, path);
}

function readBaseline(path: string | undefined): Report | null {
  if (!path) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`--baseline: "${path}" is not a readable JSON report: ${(e as Error).message}`);
  }
  const parsed = ReportSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`--baseline: "${path}" is not an etcd-analyzer JSON report (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

async function render(report: Report, format: Format, color: boolean, verbose: boolean): Promise<string> {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report, await loadReportAssets());
    case 'text':
      return renderText(report, { color, verbose });
  }
}

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export function registerAnalyze(program: Command): void {
  addSourceOptions(
    program
      .command('analyze')
      .description('collect, evaluate every rule, rank root causes and print a graded report (exit 0 healthy, 1 warning, 2 critical, 3 could not analyze)')
      .option('--config <file>', 'thresholds file (YAML or JSON): rules.<ruleId>.{warning,critical,holdFor,enabled}')
      .option('--baseline <file>', 'an earlier JSON report to compare KPIs with')
      .option('--format <format>', `report format: ${FORMATS.join('|')}`, 'text')
      .option('--export-html', 'also write an HTML report (into --out, or ./etcd-analysis-<time>/)')
      .option('--out <dir>', 'write report files into DIR/etcd-analysis-<time>/ instead of stdout')
      .option('--verbose', 'show every KPI and progress details'),
  ).action(async (flags: AnalyzeFlags) => {
    if (!FORMATS.includes(flags.format as Format)) throw new ConfigError(`--format: "${flags.format}" is not one of ${FORMATS.join(', ')}`);
    const format = flags.format as Format;
    const config = readConfig(flags.config);
    const baseline = readBaseline(flags.baseline);
    const request = toCollectRequest(flags);
    const started = new Date();
    // Checked before collecting: an unwritable --out must not cost the whole window.
    const dir = flags.out || flags.exportHtml ? prepareReportDir(flags.out ?? '.', `etcd-analysis-${stamp(started)}`) : null;
    const progress = createProgress(Boolean(flags.verbose));
    const { snapshot, report } = await analyzeCluster(request, { onProgress: progress.update, ...(config ? { config } : {}), baseline }).finally(() => progress.stop());
    if (dir) {
      const files: Array<[string, string]> = [['report.json', renderJson(report)], ['report.md', renderMarkdown(report)], ['summary.txt', renderText(report, { color: false, verbose: true })]];
      if (flags.exportHtml || format === 'html') files.push(['report.html', renderHtml(report, await loadReportAssets())]);
      for (const [name, body] of files) writeFileSync(join(dir.partial, name), body);
      await writeSnapshotJson(join(dir.partial, 'snapshot.json'), snapshot);
      finishReportDir(dir);
      const names = [...files.map(([n]) => n), 'snapshot.json'];
      if (flags.out) {
        process.stdout.write(renderText(report, { color: Boolean(process.stdout.isTTY), verbose: false }));
        process.stdout.write(`\nreport files: ${names.map((n) => join(dir.final, n)).join(', ')}\n`);
        throw new ExitCode(EXIT_BY_STATUS[report.status]);
      }
      process.stderr.write(`report files in ${dir.final}\n`);
    }
    process.stdout.write(await render(report, format, Boolean(process.stdout.isTTY), Boolean(flags.verbose)));
    throw new ExitCode(EXIT_BY_STATUS[report.status]);
  });
}
