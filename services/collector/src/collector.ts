import { Cron } from 'croner';
import { batchMessage, openTargets, type Bus, type Outbox } from '@etcd-analyzer/shared/bus';
import { describeError } from '@etcd-analyzer/shared/errors';
import { CollectorTargetSchema, type CollectorTarget } from '@etcd-analyzer/shared/schema';
import type { Logger } from '@etcd-analyzer/shared/service';
import type { CollectorMetrics } from './metrics.ts';
import { createOwnership, type Ownership } from './ownership.ts';
import { openProgress, type ProgressStore } from './progress.ts';
import { createTargetRunner, type TargetRunner } from './target-runner.ts';

export interface CollectorDeps {
  readonly bus: Bus;
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly metrics: CollectorMetrics;
  readonly instance: string;
  readonly leaseTtlMs: number;
  readonly maxCatchUpSeconds: number;
  /** Targets from the config file; the ETCD_TARGETS KV bucket adds, changes and removes more. */
  readonly fileTargets: readonly CollectorTarget[];
}

export interface Collector {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Null when ready; otherwise why not. */
  ready(): string | null;
  /** Clusters this instance collects now. */
  owned(): string[];
}

interface Job {
  readonly runner: TargetRunner;
  readonly cron: Cron;
}

/**
 * Runs every target it owns on the target's interval, never two ticks of one target at once;
 * shares targets with other instances through leases and picks up targets added or removed at
 * run time.
 */
export function createCollector(deps: CollectorDeps): Collector {
  const { logger, metrics } = deps;
  const targets = new Map<string, CollectorTarget>(deps.fileTargets.map((t) => [t.cluster, t]));
  const jobs = new Map<string, Job>();
  const watchAbort = new AbortController();
  let ownership: Ownership | undefined;
  let progress: ProgressStore | undefined;
  let loop: NodeJS.Timeout | undefined;
  let rounding = Promise.resolve();
  let started = false;

  const publish = (batch: Parameters<typeof batchMessage>[0]): void => {
    deps.outbox.enqueue(batchMessage(batch));
    metrics.batches.inc();
  };

  async function startJob(cluster: string): Promise<void> {
    const target = targets.get(cluster);
    if (!target || jobs.has(cluster) || !progress) return;
    const runner = await createTargetRunner(target, { publish, progress, logger, maxCatchUpSeconds: deps.maxCatchUpSeconds });
    const tick = async (): Promise<void> => {
      const end = metrics.tickSeconds.startTimer();
      try {
        const r = await runner.tick();
        metrics.ticks.inc({ result: r.window ? (r.problems ? 'problems' : 'ok') : 'skipped' });
      } catch (e) {
        metrics.ticks.inc({ result: 'error' });
        logger.error({ cluster, err: describeError(e) }, 'tick failed');
      } finally {
        end();
      }
    };
    // protect: a tick that overruns its interval makes the next one wait, never run beside it.
    const cron = new Cron('* * * * * *', { interval: target.intervalSeconds, protect: true }, tick);
    jobs.set(cluster, { runner, cron });
    void tick();
    logger.info({ cluster, intervalSeconds: target.intervalSeconds }, 'collecting a target');
  }

  async function stopJob(cluster: string): Promise<void> {
    const job = jobs.get(cluster);
    if (!job) return;
    jobs.delete(cluster);
    job.cron.stop();
    await job.runner.close();
    logger.info({ cluster }, 'stopped collecting a target');
  }

  async function round(): Promise<void> {
    if (!ownership) return;
    const enabled = [...targets.values()].filter((t) => t.enabled).map((t) => t.cluster);
    try {
      const { gained, lost } = await ownership.round(enabled);
      for (const c of lost) await stopJob(c);
      for (const c of gained) await startJob(c);
      for (const c of ownership.owned()) if (!jobs.has(c)) await startJob(c);
    } catch (e) {
      logger.warn({ err: describeError(e) }, 'ownership round failed; retrying');
    }
    const o = deps.outbox.stats();
    metrics.outbox.set({ state: 'queued' }, o.queued);
    metrics.outbox.set({ state: 'dropped' }, o.dropped);
    metrics.outbox.set({ state: 'failed' }, o.failed);
    metrics.targets.set({ state: 'known' }, targets.size);
    metrics.targets.set({ state: 'owned' }, jobs.size);
  }
  const scheduleRound = (): Promise<void> => (rounding = rounding.then(round));

  async function watchKv(): Promise<void> {
    const store = await openTargets(deps.bus.js, CollectorTargetSchema);
    const clusterOfKey = new Map<string, string>();
    for await (const ev of store.watch({ signal: watchAbort.signal })) {
      if (ev.type === 'invalid') {
        logger.warn({ key: ev.key, reason: ev.reason }, 'invalid target in the KV bucket, ignored');
        continue;
      }
      if (ev.type === 'delete') {
        const cluster = clusterOfKey.get(ev.key);
        clusterOfKey.delete(ev.key);
        if (!cluster) continue;
        // A file target deleted from KV falls back to its file definition.
        const fromFile = deps.fileTargets.find((t) => t.cluster === cluster);
        if (fromFile) targets.set(cluster, fromFile);
        else targets.delete(cluster);
        await stopJob(cluster);
        logger.info({ cluster }, 'target removed');
      } else {
        clusterOfKey.set(ev.key, ev.target.cluster);
        const changed = JSON.stringify(targets.get(ev.target.cluster)) !== JSON.stringify(ev.target);
        targets.set(ev.target.cluster, ev.target);
        if (changed) {
          await stopJob(ev.target.cluster);
          logger.info({ cluster: ev.target.cluster }, 'target added or changed');
        }
      }
      void scheduleRound();
    }
  }

  return {
    async start() {
      progress = await openProgress(deps.bus.js);
      ownership = await createOwnership({ js: deps.bus.js, instance: deps.instance, ttlMs: deps.leaseTtlMs, logger });
      void watchKv().catch((e: unknown) => {
        if (!watchAbort.signal.aborted) logger.error({ err: describeError(e) }, 'target watch ended');
      });
      await scheduleRound();
      loop = setInterval(() => void scheduleRound(), Math.max(1000, Math.floor(deps.leaseTtlMs / 3)));
      started = true;
    },
    async stop() {
      if (loop) clearInterval(loop);
      watchAbort.abort();
      await rounding;
      for (const c of [...jobs.keys()]) await stopJob(c);
      await ownership?.close();
    },
    ready: () => (!started ? 'starting' : null),
    owned: () => [...jobs.keys()].sort(),
  };
}
