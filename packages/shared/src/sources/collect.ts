import { CATALOG, type CatalogMetric } from '../catalog/index.ts';
import { ValidationError } from '../errors/index.ts';
import { ClusterSnapshotSchema, CollectRequestSchema, SNAPSHOT_SCHEMA_VERSION, type ClusterSnapshot, type CollectRequest, type CollectRequestInput, type Problem, type Series } from '../schema/index.ts';
import { memberPresence, missingMemberProblems, noDataProblems } from './coverage.ts';
import { createSources } from './registry.ts';
import type { MetricSource, SourceResult, SourceWindow } from './source.ts';

export interface CollectOptions {
  readonly onProgress?: (message: string) => void;
  readonly signal?: AbortSignal;
}

/** A step that keeps a range query near 300 points, never finer than 15 s (a typical scrape). */
export function defaultStep(durationSeconds: number): number {
  return Math.max(15, Math.ceil(durationSeconds / 300 / 15) * 15);
}

/** Validates a request from any producer (flags, a collector target, an HTTP body). */
export function parseCollectRequest(input: unknown): CollectRequest {
  const r = CollectRequestSchema.safeParse(input);
  if (!r.success) throw new ValidationError('collect request', r.error);
  return r.data;
}

/** The catalog metrics a request asks for (all by default); an unknown id is an error. */
export function requestedMetrics(req: CollectRequest): CatalogMetric[] {
  if (!req.metrics) return [...CATALOG];
  const unknown = req.metrics.filter((id) => !CATALOG.some((m) => m.id === id));
  if (unknown.length) throw new ValidationError('collect request', { issues: unknown.map((id) => ({ path: ['metrics'], message: `unknown catalog metric "${id}"` })) } as never);
  return CATALOG.filter((m) => req.metrics?.includes(m.id));
}

/**
 * The window of a collection. A window that ends now ends exactly now: aligning it down to the
 * step would hide up to a step of the freshest samples, which are what "last" rules judge. A
 * given end is aligned so that two runs over the same past window see the same samples. A live
 * (direct) source starts now and runs for the duration.
 */
export function planWindow(req: CollectRequest, now: number): SourceWindow {
  if (req.direct) return { start: now, end: now + req.durationSeconds, step: req.direct.intervalSeconds };
  now = Math.floor(now);
  const step = req.stepSeconds ?? defaultStep(req.durationSeconds);
  const end = req.end === undefined ? now : req.prometheus ? Math.floor(req.end / step) * step : req.end;
  return { start: end - req.durationSeconds, end, step };
}

/**
 * Reads every source over one window. A live source defines the window as it scrapes, so the
 * others follow it; otherwise all run together. Used by one-shot collections and by the
 * collector's ticks alike.
 */
export async function collectFrom(sources: readonly MetricSource[], req: CollectRequest, metrics: readonly CatalogMetric[], window: SourceWindow, opts: CollectOptions = {}): Promise<ClusterSnapshot> {
  const t0 = performance.now();
  const call = { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) };
  const metricSource = sources.find((s) => s.provides === 'metrics');
  const others = sources.filter((s) => s !== metricSource);
  let results: SourceResult[];
  let covered = window;
  if (metricSource?.live) {
    const m = await metricSource.collect(window, call);
    covered = m.window ?? window;
    results = [m, ...(await Promise.all(others.map((s) => s.collect(covered, call))))];
  } else {
    results = await Promise.all(sources.map((s) => s.collect(window, call)));
  }
  return assembleSnapshot(req, metrics, metricSource?.kind === 'direct' ? 'direct' : metricSource ? 'prometheus' : 'none', results, covered, performance.now() - t0);
}

/** One snapshot from what the sources returned; whatever failed is a problem, never an exception. */
export function assembleSnapshot(req: CollectRequest, metrics: readonly CatalogMetric[], source: ClusterSnapshot['source'], results: readonly SourceResult[], window: SourceWindow, wallMs: number): ClusterSnapshot {
  const series: Series[] = [];
  const sourceProblems: Problem[] = [];
  let requests = 0;
  for (const r of results) {
    for (const s of r.series ?? []) series.push(s);
    for (const p of r.problems) sourceProblems.push(p);
    requests += r.requests ?? 0;
  }
  const status = results.find((r) => r.status !== undefined)?.status ?? null;
  const logs = results.find((r) => r.logs !== undefined || r.logEvents !== undefined);
  const problemSource = source === 'direct' ? 'direct' : 'prometheus';
  const presence = memberPresence(series, window.end, Math.max(2 * window.step, 30));
  const present = presence.filter((p) => p.present).map((p) => p.name);
  const nodes = [...new Set(series.filter((s) => s.scope === 'node').map((s) => s.entity))].sort();
  const reachable = !sourceProblems.some((p) => (p.source === 'prometheus' || p.source === 'direct') && (p.kind === 'unreachable' || p.kind === 'auth' || p.kind === 'tls'));
  const problems: Problem[] = [
    ...sourceProblems,
    ...(source === 'none' ? [] : missingMemberProblems(presence, problemSource)),
    ...(source === 'none' || !reachable ? [] : noDataProblems(metrics, series, present, nodes, problemSource)),
  ];
  const snapshot: ClusterSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    cluster: req.cluster,
    source,
    collectedAt: new Date().toISOString(),
    window: { start: new Date(window.start * 1000).toISOString(), end: new Date(window.end * 1000).toISOString(), stepSeconds: window.step },
    members: presence.map((p) => ({ name: p.name, present: p.present, ...(p.upRatio !== undefined ? { upRatio: p.upRatio } : {}) })),
    nodes,
    series,
    status,
    logEvents: [...(logs?.logEvents ?? [])],
    ...(logs?.logs ? { logs: logs.logs } : {}),
    problems,
    stats: { requests, wallMs: Math.round(wallMs) },
  };
  return ClusterSnapshotSchema.parse(snapshot);
}

/**
 * Collects one ClusterSnapshot: metrics (Prometheus or direct scrapes), etcd status and logs;
 * whatever fails becomes a problem in the snapshot, never an exception. The request is
 * validated first (a ValidationError names each bad field).
 */
export async function collectSnapshot(input: CollectRequestInput, opts: CollectOptions = {}): Promise<ClusterSnapshot> {
  const req = parseCollectRequest(input);
  const metrics = requestedMetrics(req);
  const sources = await createSources(req, metrics);
  try {
    return await collectFrom(sources, req, metrics, planWindow(req, Date.now() / 1000), opts);
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

export type { CollectRequest, CollectRequestInput };
