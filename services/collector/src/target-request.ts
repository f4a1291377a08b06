import type { CollectRequest, CollectorTarget } from '@etcd-analyzer/shared/schema';
import { DEFAULT_SELECTORS } from '@etcd-analyzer/shared/schema';

/** The CollectRequest a target stands for: one tick's worth of its sources. */
export function targetRequest(t: CollectorTarget): CollectRequest {
  return {
    cluster: t.cluster,
    durationSeconds: t.intervalSeconds,
    selectors: t.selectors ?? DEFAULT_SELECTORS,
    detectMemberLabel: t.detectMemberLabel ?? t.selectors === undefined,
    ...(t.prometheus ? { prometheus: t.prometheus } : {}),
    ...(t.direct ? { direct: { targets: t.direct.targets, intervalSeconds: t.intervalSeconds, ...(t.direct.timeoutMs ? { timeoutMs: t.direct.timeoutMs } : {}) } } : {}),
    ...(t.etcd ? { etcd: t.etcd } : {}),
    ...(t.logs ? { logs: t.logs } : {}),
  };
}

/** Range data at most every 15 s (a typical scrape), and at least once per tick. */
export function tickStep(t: CollectorTarget): number {
  return t.direct ? t.intervalSeconds : Math.min(15, t.intervalSeconds);
}

/**
 * The next tick's window: from where the last one ended (or one interval back) to now on the
 * step grid, so two instances or a restart compute the same windows. A gap longer than
 * `maxCatchUp` (an outage) is not caught up past that.
 */
export function nextWindow(t: CollectorTarget, nowSeconds: number, lastEnd: number | undefined, maxCatchUp: number): { start: number; end: number; step: number } | null {
  const step = tickStep(t);
  const end = t.direct ? nowSeconds : Math.floor(nowSeconds / step) * step;
  let start = lastEnd ?? end - t.intervalSeconds;
  if (t.direct) start = Math.max(start, end - 2 * t.intervalSeconds);
  start = Math.max(start, end - Math.max(maxCatchUp, t.intervalSeconds));
  return end > start ? { start, end, step } : null;
}
