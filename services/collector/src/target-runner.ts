import { describeError } from '@etcd-analyzer/shared/errors';
import type { CollectorTarget, MetricBatch } from '@etcd-analyzer/shared/schema';
import type { Logger } from '@etcd-analyzer/shared/service';
import { collectFrom, createSources, parseCollectRequest, requestedMetrics, type MetricSource } from '@etcd-analyzer/shared/sources';
import { toBatches } from './batches.ts';
import type { ProgressStore } from './progress.ts';
import { nextWindow, targetRequest } from './target-request.ts';

export interface TickResult {
  readonly window: { start: number; end: number } | null;
  readonly batches: number;
  readonly problems: number;
}

/** One target's collection across ticks: its sources live as long as the runner. */
export interface TargetRunner {
  readonly target: CollectorTarget;
  tick(): Promise<TickResult>;
  close(): Promise<void>;
}

export interface RunnerDeps {
  readonly publish: (batch: MetricBatch) => void;
  readonly progress: ProgressStore;
  readonly logger: Logger;
  readonly maxCatchUpSeconds: number;
  readonly now?: () => number;
}

/**
 * Each tick collects what is new since the last one (the previous end is shared in KV, so an
 * instance that takes the target over goes on from there), splits it into batches and hands
 * them to the publisher. A failed source is a problem inside the batches, never a missing tick.
 */
export async function createTargetRunner(target: CollectorTarget, deps: RunnerDeps): Promise<TargetRunner> {
  const request = parseCollectRequest(targetRequest(target));
  const metrics = requestedMetrics(request);
  const sources: MetricSource[] = await createSources(request, metrics);
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ cluster: target.cluster });
  let lastEnd: number | undefined;
  return {
    target,
    async tick() {
      lastEnd ??= await deps.progress.get(target.cluster).catch(() => undefined);
      const window = nextWindow(target, now() / 1000, lastEnd, deps.maxCatchUpSeconds);
      if (!window) return { window: null, batches: 0, problems: 0 };
      const snapshot = await collectFrom(sources, request, metrics, { ...window, continues: lastEnd !== undefined });
      const batches = toBatches(snapshot, { startMs: Math.round(window.start * 1000), endMs: Math.round(window.end * 1000) });
      for (const b of batches) deps.publish(b);
      lastEnd = window.end;
      await deps.progress.set(target.cluster, window.end).catch((e: unknown) => log.warn({ err: describeError(e) }, 'could not record tick progress'));
      log.debug({ start: window.start, end: window.end, batches: batches.length, series: snapshot.series.length, problems: snapshot.problems.length }, 'tick');
      return { window, batches: batches.length, problems: snapshot.problems.length };
    },
    close: async () => {
      await Promise.all(sources.map((s) => s.close()));
    },
  };
}
