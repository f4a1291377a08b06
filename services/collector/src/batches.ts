import { CATALOG } from '@etcd-analyzer/shared/catalog';
import { METRIC_BATCH_SCHEMA_VERSION, type ClusterSnapshot, type MetricBatch, type Problem, type Series } from '@etcd-analyzer/shared/schema';

const CATEGORY = new Map(CATALOG.map((m) => [m.id, m.category]));
/** Where the tick's general news goes (membership always exists, so a failed tick is still said). */
const HOME = 'membership';

/** The deterministic id of one tick's batch: republishing the same tick is deduplicated. */
export function batchId(cluster: string, category: string, startMs: number, endMs: number): string {
  return `${cluster}/${category}/${startMs}-${endMs}`;
}

/**
 * Splits one tick's snapshot into MetricBatches, one per catalog category with data, plus `status`
 * (etcd over gRPC) and `logs`. A problem goes with its metric's category; the others go with
 * membership, which is published on every tick, so a source failure is never silence.
 */
export function toBatches(snapshot: ClusterSnapshot, tick: { readonly startMs: number; readonly endMs: number }): MetricBatch[] {
  const series = new Map<string, Series[]>([[HOME, []]]);
  const problems = new Map<string, Problem[]>();
  for (const s of snapshot.series) {
    const c = CATEGORY.get(s.metric) ?? HOME;
    const list = series.get(c);
    if (list) list.push(s);
    else series.set(c, [s]);
  }
  for (const p of snapshot.problems) {
    const c = (p.metric && CATEGORY.get(p.metric)) || HOME;
    if (!series.has(c)) series.set(c, []);
    const list = problems.get(c);
    if (list) list.push(p);
    else problems.set(c, [p]);
  }
  const categories = [...series.keys()];
  if (snapshot.status) categories.push('status');
  if (snapshot.logs || snapshot.logEvents.length) categories.push('logs');
  const tickId = `${snapshot.cluster}/${tick.startMs}-${tick.endMs}`;
  return categories.map((category) => ({
    schemaVersion: METRIC_BATCH_SCHEMA_VERSION,
    id: batchId(snapshot.cluster, category, tick.startMs, tick.endMs),
    cluster: snapshot.cluster,
    category,
    tickId,
    tickBatches: categories.length,
    collectedAt: snapshot.collectedAt,
    source: snapshot.source,
    window: snapshot.window,
    members: snapshot.members,
    nodes: snapshot.nodes,
    series: series.get(category) ?? [],
    ...(category === 'status' ? { status: snapshot.status } : {}),
    ...(category === 'logs' ? { logEvents: snapshot.logEvents, ...(snapshot.logs ? { logs: snapshot.logs } : {}) } : {}),
    problems: problems.get(category) ?? [],
  }));
}
