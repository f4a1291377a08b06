import type { CatalogMetric } from '../../catalog/index.ts';
import type { CollectRequest } from '../../schema/index.ts';
import type { MetricSource } from '../source.ts';
import { createDirectSession } from './collect-direct.ts';

/** Scrapes the members' (and node_exporters') /metrics itself; its state spans collections. */
export function createDirectSource(req: CollectRequest, metrics: readonly CatalogMetric[]): MetricSource {
  const spec = req.direct as NonNullable<CollectRequest['direct']>;
  const session = createDirectSession({ targets: spec.targets, metrics, intervalSeconds: spec.intervalSeconds, ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}) });
  return {
    kind: 'direct',
    provides: 'metrics',
    live: true,
    async collect(window, opts = {}) {
      const rounds = Math.max(1, Math.round((window.end - window.start) / spec.intervalSeconds) + 1);
      const r = await session.collect(window.end * 1000, { ...(opts.signal ? { signal: opts.signal } : {}), onRound: (done) => opts.onProgress?.(`direct: scrape ${done}/${rounds}`) });
      return { series: r.series, problems: r.problems, requests: r.requests, window: { start: r.start, end: r.end, step: spec.intervalSeconds } };
    },
    close: async () => {},
  };
}
