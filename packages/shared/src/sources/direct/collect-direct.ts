import { leaves, type CatalogMetric } from '../../catalog/index.ts';
import { describeError } from '../../errors/index.ts';
import type { Problem, Series } from '../../schema/index.ts';
import { redactUrl } from '../http/index.ts';
import { summarize } from '../summarize.ts';
import { evaluateStore } from './evaluate.ts';
import type { Exposition } from './parse-exposition.ts';
import { scrape, ScrapeError, type DirectTarget, type ScrapeOptions } from './scrape.ts';
import { SeriesStore } from './series-store.ts';

export interface DirectCollectOptions {
  readonly targets: readonly DirectTarget[];
  readonly metrics: readonly CatalogMetric[];
  readonly intervalSeconds: number;
  readonly durationSeconds: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  /** Replaces the HTTP scrape: benchmarks replay recorded scrapes through the same evaluation. */
  readonly scrape?: (target: DirectTarget, opts: ScrapeOptions) => Promise<Exposition>;
  /** Replaces the wall clock (milliseconds) and the wait between rounds. */
  readonly clock?: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };
}

export interface DirectCollectResult {
  readonly series: Series[];
  readonly problems: Problem[];
  readonly requests: number;
  readonly start: number;
  readonly end: number;
}

/**
 * A counter series that drops this often without a restart of its process is not a counter that
 * restarted: two processes answer on one address, or a gauge is served as a counter. Its rates
 * would count every drop as a full reset, so they are left out rather than shown wrong.
 */
const SUSPECT_DROPS = 3;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

interface Group {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: Array<[number, number]>;
}

/** Everything kept about one target during a collection. */
interface TargetRun {
  readonly target: DirectTarget;
  readonly metrics: readonly CatalogMetric[];
  readonly store: SeriesStore;
  /** Per metric id, per label set: the points computed so far. */
  readonly groups: Map<string, Map<string, Group>>;
  ok: number;
  failed: number;
  lastError: string;
  dropped: boolean;
  duplicateScrapes: number;
  duplicateExample?: string;
}

function kindOf(e: unknown): Problem['kind'] {
  return e instanceof ScrapeError ? e.kind : 'other';
}

function evaluateInto(run: TargetRun, metric: CatalogMetric, at: number, staleness: number): void {
  let groups = run.groups.get(metric.id);
  for (const { labels, value } of evaluateStore(metric.expr, run.store, at, staleness)) {
    if (!groups) run.groups.set(metric.id, (groups = new Map()));
    const key = JSON.stringify(labels);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels, points: [] }));
    g.points.push([Math.round(at * 1000) / 1000, value]);
  }
}

/** Series read as counters that kept going backwards: a problem, and their metrics left out. */
function suspectCounters(run: TargetRun, scrapes: number): Problem | undefined {
  const suspect = run.store.suspectCounters(SUSPECT_DROPS);
  if (suspect.length === 0) return undefined;
  const names = new Set(suspect.map((s) => s.series.replace(/\{.*$/, '')));
  const affected = run.metrics.filter((m) => leaves(m.expr).some((l) => l.kind !== 'gauge' && names.has(l.kind === 'quantile' ? `${l.metric}_bucket` : l.metric)));
  for (const m of affected) run.groups.delete(m.id);
  const first = suspect[0] as { series: string; times: number };
  return {
    source: 'direct',
    kind: 'malformed',
    entity: run.target.entity,
    metrics: affected.map((m) => m.id),
    message: `${redactUrl(run.target.url)}: ${suspect.length} counter series went backwards without a restart (e.g. ${first.series} ${first.times} times in ${scrapes} scrapes): two processes behind one address, or a gauge served as a counter; left out: ${affected.map((m) => m.id).join(', ')}`,
  };
}

export type DirectSessionOptions = Omit<DirectCollectOptions, 'durationSeconds' | 'onProgress'>;

/**
 * A direct scraper that lives across collections: each `collect(untilMs)` scrapes every target
 * each interval until `untilMs` (at least one round), computes every catalog metric at each scrape
 * as the scrapes arrive, from running per-series state, and returns the points of its own rounds.
 * The state carries over, so a collector's ticks need one scrape each, and rates span ticks. A
 * failed scrape is a gap, never a zero. The very first round decides at once: when no member
 * answers, nothing more is scraped; a target that fails it while others answer is dropped with a
 * problem (a wrong URL does not become right by waiting 15 minutes).
 */
export interface DirectSession {
  collect(untilMs: number, opts?: { readonly signal?: AbortSignal; readonly onRound?: (done: number) => void }): Promise<DirectCollectResult>;
}

export function createDirectSession(opts: DirectSessionOptions): DirectSession {
  const timeoutMs = opts.timeoutMs ?? Math.min(10_000, opts.intervalSeconds * 1000);
  const clock = opts.clock ?? { now: Date.now, sleep };
  const doScrape = opts.scrape ?? scrape;
  const staleness = 1.5 * opts.intervalSeconds;
  const intervalMs = opts.intervalSeconds * 1000;
  const t0 = clock.now();
  const runs: TargetRun[] = opts.targets.map((target) => {
    const metrics = opts.metrics.filter((m) => m.scope === target.scope);
    return { target, metrics, store: new SeriesStore(metrics.flatMap((m) => leaves(m.expr)), t0 / 1000), groups: new Map(), ok: 0, failed: 0, lastError: '', dropped: false, duplicateScrapes: 0 };
  });
  let rounds = 0;
  let stopped = false;
  let next = t0;

  return {
    async collect(untilMs, callOpts = {}) {
      const problems: Problem[] = [];
      const times: number[] = [];
      let requests = 0;
      const signal = callOpts.signal ?? opts.signal;
      const callStart = clock.now() / 1000;
      for (const run of runs) {
        run.groups.clear();
        run.ok = 0;
        run.failed = 0;
        run.duplicateScrapes = 0;
        if (rounds > 0) run.store.startRange(callStart);
      }
      while (!stopped && !signal?.aborted && (times.length === 0 || next <= untilMs)) {
        // A round that overran its interval starts the next one at once.
        await clock.sleep(Math.max(0, next - clock.now()), signal);
        if (signal?.aborted) break;
        const t = clock.now() / 1000;
        next = Math.max(next + intervalMs, clock.now());
        times.push(t);
        const active = runs.filter((r) => !r.dropped);
        const results = await Promise.all(
          active.map(async (run) => {
            requests++;
            try {
              return { run, data: await doScrape(run.target, { timeoutMs, keep: (name) => run.store.wants(name) }) };
            } catch (error) {
              return { run, error };
            }
          }),
        );
        if (rounds === 0) {
          const failures = results.filter((r) => 'error' in r);
          const memberAnswered = results.some((r) => !('error' in r) && r.run.target.scope === 'member');
          const hasMembers = runs.some((r) => r.target.scope === 'member');
          if (failures.length > 0 && !memberAnswered && (hasMembers || failures.length === results.length)) {
            for (const f of failures) problems.push({ source: 'direct', kind: kindOf(f.error), entity: f.run.target.entity, message: describeError(f.error) });
            stopped = true;
            return { series: [], problems, requests, start: t, end: t };
          }
          for (const f of failures) {
            f.run.dropped = true;
            problems.push({ source: 'direct', kind: kindOf(f.error), entity: f.run.target.entity, message: `${describeError(f.error)}; not scraped again (it failed the first round while other targets answered)` });
          }
        }
        for (const r of results) {
          if ('error' in r) {
            r.run.failed++;
            r.run.lastError = describeError(r.error);
            continue;
          }
          if (r.run.dropped) continue;
          r.run.ok++;
          if (r.data.duplicates > 0) {
            r.run.duplicateScrapes++;
            r.run.duplicateExample ??= r.data.duplicateExample;
          }
          r.run.store.add(t, r.data);
        }
        // Every round: a gauge has a value from the first scrape, a rate from the second on.
        for (const run of runs) if (!run.dropped) for (const m of run.metrics) if (!m.instant) evaluateInto(run, m, t, staleness);
        rounds++;
        callOpts.onRound?.(times.length);
      }
      const start = times[0] ?? callStart;
      const end = times[times.length - 1] ?? start;
      const series: Series[] = [];
      for (const run of runs) {
        if (run.dropped) continue;
        for (const m of run.metrics) if (m.instant) evaluateInto(run, m, end, staleness);
        if (run.ok === 0 && run.failed > 0) problems.push({ source: 'direct', kind: 'unreachable', entity: run.target.entity, message: run.lastError });
        else if (run.failed > 0) problems.push({ source: 'direct', kind: 'partial', entity: run.target.entity, message: `${run.failed} of ${run.ok + run.failed} scrapes failed, last: ${run.lastError}` });
        if (run.duplicateScrapes > 0) {
          problems.push({ source: 'direct', kind: 'malformed', entity: run.target.entity, message: `${redactUrl(run.target.url)} served the same series twice in ${run.duplicateScrapes} of ${run.ok} scrapes (e.g. ${run.duplicateExample}); the first value of each was used` });
        }
        const suspect = suspectCounters(run, rounds);
        if (suspect) problems.push(suspect);
        const evalCount = Math.max(1, times.length - (rounds === times.length ? 1 : 0));
        for (const m of run.metrics) {
          for (const { labels, points } of run.groups.get(m.id)?.values() ?? []) {
            series.push({ metric: m.id, scope: m.scope, entity: run.target.entity, ...(Object.keys(labels).length ? { labels: { ...labels } } : {}), unit: m.unit, points, coverage: Math.min(1, points.length / (m.instant ? 1 : evalCount)), summary: summarize(points) });
          }
        }
      }
      return { series, problems, requests, start, end };
    },
  };
}

/** One collection of `durationSeconds` from now: a session used once. */
export async function collectDirect(opts: DirectCollectOptions): Promise<DirectCollectResult> {
  const rounds = Math.max(2, Math.floor(opts.durationSeconds / opts.intervalSeconds) + 1);
  const session = createDirectSession(opts);
  const clock = opts.clock ?? { now: Date.now, sleep };
  const until = clock.now() + (rounds - 1) * opts.intervalSeconds * 1000;
  return session.collect(until, { ...(opts.signal ? { signal: opts.signal } : {}), onRound: (done) => opts.onProgress?.(done, rounds) });
}
