import type { CatalogMetric } from '../catalog/index.ts';
import type { CollectRequest } from '../schema/index.ts';
import type { MetricSource, SourceKind } from './source.ts';

interface SourceFactory {
  readonly kind: SourceKind;
  readonly applies: (req: CollectRequest) => boolean;
  /** Loaded on demand: gRPC and the log parser cost a cold start only when asked for. */
  readonly create: (req: CollectRequest, metrics: readonly CatalogMetric[]) => Promise<MetricSource>;
}

/** Every source; a request gets each one it names. */
export const SOURCES: readonly SourceFactory[] = [
  { kind: 'prometheus', applies: (r) => Boolean(r.prometheus), create: async (r, m) => (await import('./prometheus/prometheus-source.ts')).createPrometheusSource(r, m) },
  { kind: 'direct', applies: (r) => Boolean(r.direct), create: async (r, m) => (await import('./direct/direct-source.ts')).createDirectSource(r, m) },
  { kind: 'etcd-status', applies: (r) => Boolean(r.etcd), create: async (r) => (await import('./etcd-status/etcd-status-source.ts')).createEtcdStatusSource(r) },
  { kind: 'logs', applies: (r) => Boolean(r.logs), create: async (r) => (await import('./logs/logs-source.ts')).createLogsSource(r) },
];

export async function createSources(req: CollectRequest, metrics: readonly CatalogMetric[]): Promise<MetricSource[]> {
  return Promise.all(SOURCES.filter((f) => f.applies(req)).map((f) => f.create(req, metrics)));
}
