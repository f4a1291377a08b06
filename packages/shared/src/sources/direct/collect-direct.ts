import type { CatalogMetric } from '../../catalog/index.ts';
import { describeError } from '../../errors/index.ts';
import type { Problem, Series } from '../../schema/index.ts';
import { summarize } from '../summarize.ts';
import { evaluateVectorAt, type TargetScrapes } from './evaluate.ts';
import type { Exposition } from './parse.ts';
import { scrape, type DirectTarget } from './scrape.ts';

export interface DirectCollectOptions {
  readonly targets: DirectTarget[];
  readonly metrics: readonly CatalogMetric[];
  readonly intervalSeconds: number;
  readonly durationSeconds: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DirectCollectResult {
  readonly series: Series[];
  readonly problems: Problem[];
  readonly requests: number;
  readonly start: number;
  readonly end: number;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Scrapes every target each interval for the duration (no Prometheus at all), then computes every
 * catalog metric at each scrape time from the deltas. A failed scrape is a gap, never a zero.
 */
export async function collectDirect(opts: DirectCollectOptions): Promise<DirectCollectResult> {
  const rounds = Math.max(2, Math.floor(opts.durationSeconds / opts.intervalSeconds) + 1);
  const timeoutMs = opts.timeoutMs ?? Math.min(10_000, opts.intervalSeconds * 1000);
  const scrapes = opts.targets.map((t) => ({ target: t, ok: [] as Array<{ t: number; data: Exposition }>, failed: 0, lastError: '' }));
  const times: number[] = [];
  const t0 = Date.now();
  let requests = 0;
  for (let i = 0; i < rounds && !opts.signal?.aborted; i++) {
    // A round that overran its interval starts the next one at once.
    await sleep(Math.max(0, t0 + i * opts.intervalSeconds * 1000 - Date.now()), opts.signal);
    const t = Date.now() / 1000;
    times.push(t);
    await Promise.all(
      scrapes.map(async (s) => {
        requests++;
        try {
          s.ok.push({ t, data: await scrape(s.target, timeoutMs) });
        } catch (e) {
          s.failed++;
          s.lastError = describeError(e);
        }
      }),
    );
    opts.onProgress?.(i + 1, rounds);
  }
  const start = times[0] ?? t0 / 1000;
  const end = times[times.length - 1] ?? start;
  const problems: Problem[] = [];
  for (const s of scrapes) {
    if (s.ok.length === 0) problems.push({ source: 'direct', kind: 'unreachable', entity: s.target.entity, message: s.lastError });
    else if (s.failed > 0) problems.push({ source: 'direct', kind: 'partial', entity: s.target.entity, message: `${s.failed} of ${times.length} scrapes failed, last: ${s.lastError}` });
  }
  const staleness = 1.5 * opts.intervalSeconds;
  const targets: TargetScrapes[] = scrapes.map((s) => ({ entity: s.target.entity, scope: s.target.scope, scrapes: s.ok }));
  const series: Series[] = [];
  for (const metric of opts.metrics) {
    if (metric.scope === 'cluster') continue;
    const evalTimes = metric.instant ? [end] : times.slice(1);
    for (const target of targets.filter((t) => t.scope === metric.scope)) {
      const groups = new Map<string, { labels: Readonly<Record<string, string>>; points: Array<[number, number]> }>();
      for (const at of evalTimes) {
        for (const { labels, value } of evaluateVectorAt(metric.expr, target, at, start, staleness)) {
          const key = JSON.stringify(labels);
          const g = groups.get(key) ?? { labels, points: [] };
          g.points.push([Math.round(at * 1000) / 1000, value]);
          groups.set(key, g);
        }
      }
      for (const { labels, points } of groups.values()) {
        series.push({ metric: metric.id, scope: metric.scope, entity: target.entity, ...(Object.keys(labels).length ? { labels: { ...labels } } : {}), unit: metric.unit, points, coverage: Math.min(1, points.length / evalTimes.length), summary: summarize(points) });
      }
    }
  }
  return { series, problems, requests, start, end };
}
