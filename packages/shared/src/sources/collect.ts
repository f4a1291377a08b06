import { CATALOG, type CatalogMetric, type Selectors } from '../catalog/index.ts';
import { describeError } from '../errors/index.ts';
import { ClusterSnapshotSchema, SNAPSHOT_SCHEMA_VERSION, type ClusterSnapshot, type EtcdStatus, type LogEvent, type LogSummary, type Problem, type Series } from '../schema/index.ts';
import type { DirectTarget } from './direct/index.ts';
import type { EtcdTlsOptions } from './etcd-status/index.ts';
import { collectPrometheus, createPrometheusClient, type PrometheusClientOptions } from './prometheus/index.ts';
import { memberPresence, missingMemberProblems, noDataProblems } from './coverage.ts';

export interface CollectRequest {
  readonly cluster: string;
  readonly durationSeconds: number;
  /** End of the window (unix seconds); now by default. Direct collection always runs from now on. */
  readonly end?: number;
  readonly stepSeconds?: number;
  readonly selectors: Selectors;
  readonly detectMemberLabel?: boolean;
  readonly metrics?: readonly CatalogMetric[];
  readonly prometheus?: PrometheusClientOptions & { readonly batchSize?: number; readonly concurrency?: number };
  readonly direct?: { readonly targets: readonly DirectTarget[]; readonly intervalSeconds: number; readonly timeoutMs?: number };
  readonly etcd?: { readonly endpoints: readonly string[]; readonly tls?: EtcdTlsOptions; readonly timeoutMs?: number };
  readonly logs?: { readonly files: readonly string[] };
  readonly onProgress?: (message: string) => void;
}

/** A step that keeps a range query near 300 points, never finer than 15 s (a typical scrape). */
export function defaultStep(durationSeconds: number): number {
  return Math.max(15, Math.ceil(durationSeconds / 300 / 15) * 15);
}

interface MetricsPart {
  series: Series[];
  problems: Problem[];
  requests: number;
  start: number;
  end: number;
  step: number;
  source: ClusterSnapshot['source'];
}

/**
 * The window a Prometheus (or metric-less) collection covers. A window that ends now ends exactly
 * now: aligning it down to the step would hide up to a step of the freshest samples, which are
 * what "last" rules judge. A given end is aligned so that two runs over the same past window see
 * the same samples.
 */
function plannedWindow(req: CollectRequest, now: number): { start: number; end: number; step: number } {
  const step = req.stepSeconds ?? defaultStep(req.durationSeconds);
  const end = req.end === undefined ? now : req.prometheus ? Math.floor(req.end / step) * step : req.end;
  return { start: end - req.durationSeconds, end, step };
}

async function metricsPart(req: CollectRequest, metrics: readonly CatalogMetric[], now: number): Promise<MetricsPart> {
  if (req.prometheus) {
    const { start, end, step } = plannedWindow(req, now);
    const client = createPrometheusClient(req.prometheus);
    try {
      const r = await collectPrometheus({
        client,
        metrics,
        selectors: req.selectors,
        detectMemberLabel: req.detectMemberLabel ?? true,
        start,
        end,
        stepSeconds: step,
        ...(req.prometheus.batchSize ? { batchSize: req.prometheus.batchSize } : {}),
        ...(req.prometheus.concurrency ? { concurrency: req.prometheus.concurrency } : {}),
        onProgress: (d, t) => req.onProgress?.(`prometheus: ${d}/${t} queries`),
      });
      return { series: r.series, problems: r.problems, requests: client.requests, start, end, step, source: 'prometheus' };
    } finally {
      await client.close();
    }
  }
  if (req.direct) {
    const { collectDirect } = await import('./direct/index.ts');
    const r = await collectDirect({
      targets: [...req.direct.targets],
      metrics: [...metrics],
      intervalSeconds: req.direct.intervalSeconds,
      durationSeconds: req.durationSeconds,
      ...(req.direct.timeoutMs ? { timeoutMs: req.direct.timeoutMs } : {}),
      onProgress: (d, t) => req.onProgress?.(`direct: scrape ${d}/${t}`),
    });
    return { series: r.series, problems: r.problems, requests: r.requests, start: r.start, end: r.end, step: req.direct.intervalSeconds, source: 'direct' };
  }
  const { start, end } = plannedWindow(req, now);
  return { series: [], problems: [], requests: 0, start, end, step: 1, source: 'none' };
}

/** The window's log events: a bounded sample, exact counts, and what lay outside the window. */
async function readLogs(files: readonly string[], since: Date, until: Date): Promise<{ events: LogEvent[]; summary: LogSummary | undefined; problems: Problem[] }> {
  try {
    const { readLogEvents, DEFAULT_SAMPLE_PER_KIND } = await import('./logs/index.ts');
    const r = await readLogEvents({ files: [...files], since, until });
    const summary: LogSummary = { counts: r.counts, files: r.files, outsideWindow: r.outsideWindow, ...(r.memberIds ? { memberIds: r.memberIds } : {}), samplePerKind: DEFAULT_SAMPLE_PER_KIND };
    return { events: r.events, summary, problems: r.problems };
  } catch (e) {
    return { events: [], summary: undefined, problems: [{ source: 'logs', kind: 'other', message: describeError(e) }] };
  }
}

/**
 * Collects one ClusterSnapshot: metrics (Prometheus or direct scrapes), etcd status and logs run
 * concurrently; whatever fails becomes a problem in the snapshot, never an exception.
 */
export async function collectSnapshot(req: CollectRequest): Promise<ClusterSnapshot> {
  const t0 = performance.now();
  const metrics = req.metrics ?? CATALOG;
  const etcd = req.etcd;
  const logFiles = req.logs?.files ?? [];
  const now = Math.floor(Date.now() / 1000);
  // Direct scrapes define their window as they go: their logs are read once it is over. Every
  // other window is known now, so metrics, status and logs are read together.
  const direct = req.direct ? await metricsPart(req, metrics, now) : undefined;
  const window = direct ?? plannedWindow(req, now);
  const [m, status, logs] = await Promise.all([
    direct ?? metricsPart(req, metrics, now),
    etcd
      ? // gRPC is loaded only when asked for: it costs a cold start ~100 ms.
        import('./etcd-status/index.ts').then(({ collectEtcdStatus }) => collectEtcdStatus({ endpoints: [...etcd.endpoints], ...(etcd.tls ? { tls: etcd.tls } : {}), ...(etcd.timeoutMs ? { timeoutMs: etcd.timeoutMs } : {}) })).catch(
          (e: unknown) => ({ status: null, problems: [{ source: 'etcd', kind: 'other', message: describeError(e) } satisfies Problem] }),
        )
      : Promise.resolve({ status: null as EtcdStatus | null, problems: [] as Problem[] }),
    logFiles.length ? readLogs(logFiles, new Date(window.start * 1000), new Date(window.end * 1000)) : Promise.resolve({ events: [] as LogEvent[], summary: undefined, problems: [] as Problem[] }),
  ]);
  const source = m.source === 'none' ? 'prometheus' : m.source;
  const presence = memberPresence(m.series, m.end, Math.max(2 * m.step, 30));
  const present = presence.filter((p) => p.present).map((p) => p.name);
  const nodes = [...new Set(m.series.filter((s) => s.scope === 'node').map((s) => s.entity))].sort();
  const reachable = !m.problems.some((p) => p.kind === 'unreachable' || p.kind === 'auth' || p.kind === 'tls');
  const problems: Problem[] = [
    ...m.problems,
    ...(m.source === 'none' ? [] : missingMemberProblems(presence, source)),
    ...(m.source === 'none' || !reachable ? [] : noDataProblems(metrics, m.series, present, nodes, source)),
    ...status.problems,
    ...logs.problems,
  ];
  const snapshot: ClusterSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    cluster: req.cluster,
    source: m.source,
    collectedAt: new Date().toISOString(),
    window: { start: new Date(m.start * 1000).toISOString(), end: new Date(m.end * 1000).toISOString(), stepSeconds: m.step },
    members: presence.map((p) => ({ name: p.name, present: p.present, ...(p.upRatio !== undefined ? { upRatio: p.upRatio } : {}) })),
    nodes,
    series: m.series,
    status: status.status,
    logEvents: logs.events,
    ...(logs.summary ? { logs: logs.summary } : {}),
    problems,
    stats: { requests: m.requests, wallMs: Math.round(performance.now() - t0) },
  };
  return ClusterSnapshotSchema.parse(snapshot);
}
