import { formatDuration, renderMatchers, type Selectors } from '../../catalog/index.ts';
import type { PrometheusClient } from './client.ts';

/** The longest rate window in the catalog: older series read right everywhere in the window. */
const MAX_RATE_WINDOW = 300;

export interface SeriesStarts {
  readonly member: ReadonlyMap<string, number>;
  readonly node: ReadonlyMap<string, number>;
}

/**
 * When each scrape target's series began, for the targets that began too late for a rate window
 * to fit before the analysis window's start (a fresh lab, a member added minutes ago). Read from
 * the targets' `up` series in one instant query; the time is moved back half a scrape interval,
 * as much as PromQL's rate() extrapolates towards the start of a series. Targets that are old
 * enough are left out: their rates need no correction.
 */
export async function youngSeriesStarts(client: PrometheusClient, selectors: Selectors, start: number, end: number): Promise<SeriesStarts> {
  const range = end - start + MAX_RATE_WINDOW;
  const res = Math.min(15, Math.max(1, Math.round(range / 1000)));
  const part = (scope: 'member' | 'node', matchers: Selectors['member'], label: string): string => {
    const up = `up${renderMatchers(matchers)}`;
    const first = `min by (${label}) (min_over_time(timestamp(${up})[${formatDuration(range)}:${res}s]))`;
    const count = `sum by (${label}) (count_over_time(${up}[${formatDuration(range)}]))`;
    return [
      `label_replace(label_replace(${first}, "etcd_analyzer_scope", "${scope}", "", ""), "etcd_analyzer_part", "first", "", "")`,
      `label_replace(label_replace(${count}, "etcd_analyzer_scope", "${scope}", "", ""), "etcd_analyzer_part", "count", "", "")`,
    ].join(' or ');
  };
  const q = `${part('member', selectors.member, selectors.memberLabel)} or ${part('node', selectors.node, selectors.nodeLabel)}`;
  const { series } = await client.query(q, end);
  const found = { member: new Map<string, { first?: number; count?: number }>(), node: new Map<string, { first?: number; count?: number }>() };
  for (const s of series) {
    const scope = s.labels.etcd_analyzer_scope === 'node' ? 'node' : 'member';
    const entity = s.labels[scope === 'node' ? selectors.nodeLabel : selectors.memberLabel];
    const v = s.points[0]?.[1];
    if (entity === undefined || v === undefined) continue;
    const e = found[scope].get(entity) ?? {};
    if (s.labels.etcd_analyzer_part === 'first') e.first = v;
    else e.count = v;
    found[scope].set(entity, e);
  }
  const young = (m: Map<string, { first?: number; count?: number }>): Map<string, number> => {
    const out = new Map<string, number>();
    for (const [entity, { first, count }] of m) {
      if (first === undefined || first <= start - MAX_RATE_WINDOW) continue;
      const interval = count !== undefined && count > 1 ? (end - first) / (count - 1) : 0;
      out.set(entity, Math.round((first - interval / 2) * 1000) / 1000);
    }
    return out;
  };
  return { member: young(found.member), node: young(found.node) };
}
