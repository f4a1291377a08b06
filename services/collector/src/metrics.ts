import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The collector's own Prometheus metrics (served on /metrics). */
export function createCollectorMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'etcd_analyzer_collector_' });
  return {
    registry,
    ticks: new Counter({ name: 'etcd_analyzer_collector_ticks_total', help: 'Ticks run, by result', labelNames: ['result'] as const, registers: [registry] }),
    tickSeconds: new Histogram({ name: 'etcd_analyzer_collector_tick_seconds', help: 'Time one tick took (collection and hand-off to the publisher)', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] }),
    batches: new Counter({ name: 'etcd_analyzer_collector_batches_total', help: 'Metric batches handed to the publisher', registers: [registry] }),
    targets: new Gauge({ name: 'etcd_analyzer_collector_targets', help: 'Targets known and owned by this instance', labelNames: ['state'] as const, registers: [registry] }),
    outbox: new Gauge({ name: 'etcd_analyzer_collector_outbox', help: 'Publisher outbox: queued messages, dropped and failed so far', labelNames: ['state'] as const, registers: [registry] }),
  };
}
export type CollectorMetrics = ReturnType<typeof createCollectorMetrics>;
