import { randomUUID } from 'node:crypto';
import { SourceError } from '../errors/index.ts';
import { analyzeSnapshot, type AnalysisConfig } from '../rules/index.ts';
import type { ClusterSnapshot, CollectRequestInput, Report } from '../schema/index.ts';
import { collectSnapshot, type CollectOptions } from '../sources/index.ts';

export interface AnalyzeClusterOptions extends CollectOptions {
  readonly config?: AnalysisConfig;
  readonly baseline?: Report | null;
  /** Report ids and times; the wall clock by default. */
  readonly now?: () => Date;
}

export interface AnalyzeClusterResult {
  readonly snapshot: ClusterSnapshot;
  readonly report: Report;
}

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** The metric source could not be read at all: nothing to analyse, and no report to pretend. */
export function fatalSourceProblem(s: ClusterSnapshot): string | null {
  if (s.series.length > 0 || s.status?.members.length) return null;
  const p = s.problems.find((x) => ['unreachable', 'auth', 'tls', 'timeout', 'malformed', 'http'].includes(x.kind));
  return p ? p.message : null;
}

/**
 * The one-shot pipeline: collect -> snapshot -> analyze -> report. The CLI's analyze and demo and
 * the bus's on-demand `etcd.cmd.analyze` handler all call this; they differ only in how they
 * build the request and what they do with the report. Throws SourceError when the cluster could
 * not be read at all (the report would say nothing true).
 */
export async function analyzeCluster(request: CollectRequestInput, opts: AnalyzeClusterOptions = {}): Promise<AnalyzeClusterResult> {
  const snapshot = await collectSnapshot(request, opts);
  const fatal = fatalSourceProblem(snapshot);
  if (fatal) throw new SourceError('analyze', fatal);
  const now = (opts.now ?? (() => new Date()))();
  const report = analyzeSnapshot(snapshot, {
    id: `etcd-analysis-${stamp(now)}-${randomUUID().slice(0, 8)}`,
    generatedAt: now.toISOString(),
    ...(opts.config ? { config: opts.config } : {}),
    baseline: opts.baseline ?? null,
  });
  return { snapshot, report };
}
