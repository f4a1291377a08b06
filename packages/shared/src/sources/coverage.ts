import type { CatalogMetric } from '../catalog/index.ts';
import type { Problem, Series } from '../schema/index.ts';

export interface MemberPresence {
  readonly name: string;
  readonly present: boolean;
  readonly upRatio?: number;
  readonly lastSeen?: number;
}

/**
 * Members and whether each still reported at the end of the window, from the `memberUp` series
 * (Prometheus) or from scrape success (direct). A member that vanished keeps its earlier points:
 * its absence is reported, never filled with zeros.
 */
export function memberPresence(series: readonly Series[], end: number, toleranceSeconds: number): MemberPresence[] {
  const up = series.filter((s) => s.metric === 'memberUp');
  const names = new Set([...up.map((s) => s.entity), ...series.filter((s) => s.scope === 'member').map((s) => s.entity)]);
  return [...names].sort().map((name) => {
    const s = up.find((u) => u.entity === name);
    if (!s || s.points.length === 0) {
      // A loop, not Math.max(...times): millions of points would overflow the call stack.
      let lastSeen: number | undefined;
      for (const x of series) {
        if (x.entity !== name || x.scope !== 'member') continue;
        for (const p of x.points) if (lastSeen === undefined || p[0] > lastSeen) lastSeen = p[0];
      }
      return { name, present: lastSeen !== undefined && lastSeen >= end - toleranceSeconds, ...(lastSeen !== undefined ? { lastSeen } : {}) };
    }
    const last = s.points[s.points.length - 1] as [number, number];
    const upRatio = (s.points.reduce((a, p) => a + (p[1] >= 1 ? 1 : 0), 0) / s.points.length) * s.coverage;
    let lastUp: number | undefined;
    for (let i = s.points.length - 1; i >= 0 && lastUp === undefined; i--) if ((s.points[i] as [number, number])[1] >= 1) lastUp = (s.points[i] as [number, number])[0];
    return { name, present: last[1] >= 1 && last[0] >= end - toleranceSeconds, upRatio: Math.min(1, upRatio), ...(lastUp !== undefined ? { lastSeen: lastUp } : {}) };
  });
}

export function missingMemberProblems(members: readonly MemberPresence[], source: Problem['source']): Problem[] {
  return members
    .filter((m) => !m.present)
    .map((m) => ({
      source,
      kind: 'member-missing' as const,
      entity: m.name,
      message: `member ${m.name} is not reporting at the end of the window${m.lastSeen !== undefined ? ` (last seen up at ${new Date(m.lastSeen * 1000).toISOString()})` : ''}${m.upRatio !== undefined ? `; up for ${Math.round(m.upRatio * 100)} % of the window` : ''}`,
    }));
}

/**
 * One problem per required catalog metric that has no data for some present member or node,
 * so that missing data is visible and never read as "healthy".
 */
export function noDataProblems(
  metrics: readonly CatalogMetric[],
  series: readonly Series[],
  presentMembers: readonly string[],
  nodes: readonly string[],
  source: Problem['source'],
): Problem[] {
  const problems: Problem[] = [];
  const have = new Set(series.map((s) => `${s.metric}\u0000${s.entity}`));
  for (const m of metrics) {
    if (m.optional || m.id === 'memberUp') continue;
    const expected = m.scope === 'member' ? presentMembers : m.scope === 'node' ? nodes : ['cluster'];
    if (expected.length === 0) continue;
    const missing = expected.filter((e) => !have.has(`${m.id}\u0000${e}`));
    if (missing.length === 0) continue;
    const who = missing.length === expected.length ? `any ${m.scope}` : missing.join(', ');
    problems.push({ source, kind: 'no-data', metric: m.id, message: `no data for ${m.id} from ${who}` });
  }
  return problems;
}
