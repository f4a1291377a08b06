import pLimit from 'p-limit';
import { entityLabel, formatDuration, leaves, renderMatchers, renderPromQL, type CatalogMetric, type Selectors } from '../../catalog/index.ts';
import type { Problem, Series } from '../../schema/index.ts';
import { summarize } from '../summarize.ts';
import type { PromSeries } from './answer.ts';
import { BATCH_LABEL, batchQuery, chunk } from './batch.ts';
import { youngSeriesStarts, type SeriesStarts } from './series-age.ts';
import { PrometheusError, type PrometheusClient, type PromResult } from './client.ts';

export interface PrometheusCollectOptions {
  readonly client: PrometheusClient;
  readonly metrics: readonly CatalogMetric[];
  readonly selectors: Selectors;
  /** Pick the member label ("pod" or "instance") from what the etcd targets carry. */
  readonly detectMemberLabel?: boolean;
  /** Start of the window; whole-window ("range") metrics cover [start, end]. */
  readonly start: number;
  readonly end: number;
  readonly stepSeconds: number;
  /** First step of the range queries when it is not `start` (a tick whose start was read before). */
  readonly queryStart?: number;
  readonly batchSize?: number;
  readonly concurrency?: number;
  /** Points kept over the whole collection (default COLLECTION_POINT_LIMIT). */
  readonly maxPoints?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface PrometheusCollectResult {
  readonly series: Series[];
  readonly problems: Problem[];
  readonly selectors: Selectors;
}

type Item = { metric: CatalogMetric; promql: string };

/**
 * Points one collection keeps: a 500-node cluster's node metrics at the default step are ~2.6 M
 * and every point is ~70 bytes in memory and more in the snapshot; past this, series are left out
 * with a problem rather than growing without bound.
 */
export const COLLECTION_POINT_LIMIT = 3_000_000;

function problemOf(e: unknown, metricIds: string[]): Problem {
  const err = e instanceof PrometheusError ? e : new PrometheusError('malformed', String(e));
  const what = metricIds.length === 1 ? `metric ${metricIds[0]}` : `${metricIds.length} metrics (${metricIds.join(', ')})`;
  const p: Problem = { source: 'prometheus', kind: err.kind, message: `${err.message} [while querying ${what}]` };
  return metricIds.length === 1 ? { ...p, metric: metricIds[0] as string } : p;
}

/** Chooses the label that names members: the configured one if the targets carry it, else "instance". */
async function detectMemberLabel(client: PrometheusClient, selectors: Selectors, end: number, rangeSeconds: number): Promise<{ selectors: Selectors; problem?: Problem }> {
  const sel = renderMatchers(selectors.member);
  const { series: found } = await client.query(`last_over_time(up${sel}[${formatDuration(rangeSeconds)}])`, end);
  if (found.length === 0) {
    return { selectors, problem: { source: 'prometheus', kind: 'no-data', message: `no scrape target matches the etcd selector ${sel} in the window; set --selector to where your etcd metrics are` } };
  }
  for (const label of [selectors.memberLabel, 'pod', 'instance']) {
    const values = new Set(found.map((s) => s.labels[label]));
    if (!values.has(undefined) && values.size === found.length) return { selectors: { ...selectors, memberLabel: label } };
  }
  return { selectors };
}

function toSnapshotSeries(metric: CatalogMetric, found: PromSeries[], selectors: Selectors, expectedPoints: number): Series[] {
  const label = entityLabel(metric.scope, selectors);
  const keep = [...new Set(leaves(metric.expr).flatMap((l) => l.by ?? []))].sort();
  const groups = new Map<string, { entity: string; labels: Record<string, string>; points: Array<[number, number]> }>();
  for (const s of found) {
    const entity = label ? (s.labels[label] ?? s.labels.instance ?? 'unknown') : 'cluster';
    const labels: Record<string, string> = {};
    for (const k of keep) labels[k] = s.labels[k] ?? '';
    const key = [entity, ...keep.map((k) => labels[k])].join('\u0000');
    const g = groups.get(key) ?? { entity, labels, points: [] };
    for (const p of s.points) g.points.push(p);
    groups.set(key, g);
  }
  const out: Series[] = [];
  for (const { entity, labels, points } of groups.values()) {
    if (points.length === 0) continue;
    points.sort((a, b) => a[0] - b[0]);
    out.push({
      metric: metric.id,
      scope: metric.scope,
      entity,
      ...(keep.length ? { labels } : {}),
      unit: metric.unit,
      points,
      coverage: Math.min(1, points.length / (metric.instant ? 1 : expectedPoints)),
      summary: summarize(points),
    });
  }
  return out;
}

/** Warnings make an answer partial: every metric of the batch is named, so none counts as proof. */
function partialProblem(warnings: readonly string[], metricIds: string[]): Problem {
  const text = [...new Set(warnings)].slice(0, 3).join('; ').slice(0, 300);
  return { source: 'prometheus', kind: 'partial', message: `the answer for ${metricIds.length === 1 ? `metric ${metricIds[0]}` : `${metricIds.length} metrics (${metricIds.join(', ')})`} may be incomplete: ${text}`, metrics: metricIds, ...(metricIds.length === 1 ? { metric: metricIds[0] as string } : {}) };
}

/** An answer cut at a limit: what was kept, what was not read, and how to ask for less. */
function cappedProblem(capped: NonNullable<PromResult['capped']>, item: Item, found: readonly PromSeries[]): Problem {
  let points = 0;
  for (const s of found) points += s.points.length;
  const limit = `${capped.limit.toLocaleString('en-US')} ${capped.what === 'bytes' ? 'bytes' : capped.what} per query`;
  return {
    source: 'prometheus',
    kind: 'partial',
    metric: item.metric.id,
    message: `the answer for metric ${item.metric.id} passed the limit of ${limit}; kept the first ${found.length} series (${points} points), the rest was not read: shorten --duration, raise --step, or narrow ${item.metric.scope === 'node' ? '--node-selector' : '--selector'}`,
  };
}

/**
 * Collects every catalog metric over [start, end] with few requests: range metrics and instant
 * (whole-window) metrics are batched, batches run concurrently, and a batch that fails on a
 * query error, or whose answer passes a size limit, is split so that one bad or huge expression
 * costs only its own metric.
 */
export async function collectPrometheus(opts: PrometheusCollectOptions): Promise<PrometheusCollectResult> {
  const { client, start, end, stepSeconds } = opts;
  const rangeSeconds = end - start;
  const problems: Problem[] = [];
  let selectors = opts.selectors;
  if (opts.detectMemberLabel) {
    try {
      const d = await detectMemberLabel(client, selectors, end, rangeSeconds);
      selectors = d.selectors;
      if (d.problem) problems.push(d.problem);
    } catch (e) {
      // Unreachable or broken: every query would fail the same way; report once.
      return { series: [], problems: [problemOf(e, ['up'])], selectors };
    }
  }
  // Without the targets' ages, rates are plain: a young series then reads low, never wrong otherwise.
  const seriesStart: SeriesStarts | undefined = await youngSeriesStarts(client, selectors, start, end).catch(() => undefined);
  const items: Item[] = opts.metrics.map((metric) => ({ metric, promql: renderPromQL(metric, { selectors, rangeSeconds, ...(seriesStart ? { seriesStart } : {}) }) }));
  const size = opts.batchSize ?? 8;
  const batches = [...chunk(items.filter((i) => !i.metric.instant), size), ...chunk(items.filter((i) => i.metric.instant), size)];
  const limit = pLimit(opts.concurrency ?? 6);
  const queryStart = opts.queryStart ?? start;
  const expectedPoints = Math.floor((end - queryStart) / stepSeconds) + 1;
  const series: Series[] = [];
  let done = 0;
  let outside = 0;
  let offGrid = 0;
  let kept = 0;
  const budget = opts.maxPoints ?? COLLECTION_POINT_LIMIT;
  const overBudget = new Set<string>();

  // Asks for no more points than the collection has left, so a huge answer is not read to be dropped.
  const run = (batch: Item[], maxPoints: number): Promise<PromResult> => {
    const q = batchQuery(batch);
    return batch[0]?.metric.instant ? client.query(q, end, { maxPoints }) : client.queryRange(q, queryStart, end, stepSeconds, { maxPoints });
  };
  const take = (batch: Item[], found: PromSeries[]): void => {
    const byMetric = new Map<string, PromSeries[]>();
    for (const s of found) {
      const id = s.labels[BATCH_LABEL];
      if (!id) continue;
      const list = byMetric.get(id);
      if (list) list.push(s);
      else byMetric.set(id, [s]);
    }
    // One push per series: spreading a large array into push() overflows the call stack.
    for (const { metric } of batch) {
      for (const s of toSnapshotSeries(metric, byMetric.get(metric.id) ?? [], selectors, expectedPoints)) {
        if (kept + s.points.length > budget) {
          overBudget.add(metric.id);
          continue;
        }
        kept += s.points.length;
        series.push(s);
      }
    }
  };
  const runBatch = async (batch: Item[]): Promise<void> => {
    try {
      const remaining = budget - kept;
      if (remaining <= 0) {
        for (const b of batch) overBudget.add(b.metric.id);
        return;
      }
      const r = await run(batch, remaining);
      if (r.capped?.what === 'points' && r.capped.limit >= remaining) {
        // The collection's budget, not this query's limit, stopped the reading: keep what fits.
        take(batch, r.series);
        for (const b of batch) overBudget.add(b.metric.id);
        return;
      }
      if (r.capped && batch.length > 1) {
        // One metric with too much data must not cost the others theirs: ask for each alone.
        for (const one of batch) await runBatch([one]);
        return;
      }
      outside += r.outside;
      offGrid += r.offGrid;
      take(batch, r.series);
      if (r.warnings.length) problems.push(partialProblem(r.warnings, batch.map((b) => b.metric.id)));
      if (r.capped) problems.push(cappedProblem(r.capped, batch[0] as Item, r.series));
    } catch (e) {
      if (e instanceof PrometheusError && e.kind === 'promql' && batch.length > 1) {
        // Inside this batch's concurrency slot: asking the limiter for more slots could deadlock.
        for (const one of batch) await runBatch([one]);
        return;
      }
      problems.push(problemOf(e, batch.map((b) => b.metric.id)));
    }
  };
  await Promise.all(
    batches.map((b) =>
      limit(async () => {
        await runBatch(b);
        done += 1;
        opts.onProgress?.(done, batches.length);
      }),
    ),
  );
  if (outside > 0 || offGrid > 0) {
    const what = [
      ...(outside > 0 ? [`${outside} samples outside the asked window ${new Date(start * 1000).toISOString()} .. ${new Date(end * 1000).toISOString()} (ignored)`] : []),
      ...(offGrid > 0 ? [`${offGrid} samples more than one per ${stepSeconds} s step (the latest of each step kept)`] : []),
    ];
    problems.push({ source: 'prometheus', kind: 'malformed', message: `the answers held ${what.join(' and ')}: a proxy or store that does not honour start, end or step?` });
  }
  if (overBudget.size > 0) {
    const ids = [...overBudget];
    problems.push({
      source: 'prometheus',
      kind: 'partial',
      metrics: ids,
      ...(ids.length === 1 ? { metric: ids[0] as string } : {}),
      message: `the collection reached its limit of ${budget.toLocaleString('en-US')} points; ${ids.length === 1 ? 'metric' : `${ids.length} metrics`} ${ids.join(', ')} ${ids.length === 1 ? 'is' : 'are'} incomplete or missing: shorten --duration, raise --step, or narrow --selector/--node-selector`,
    });
  }
  return { series, problems, selectors };
}
