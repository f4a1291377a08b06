import type { Matcher } from './expr.ts';

/**
 * Where etcd and node metrics live in a given Prometheus, and which label names a member or a
 * node. Never hard-coded in PromQL: every catalog expression is rendered with these.
 */
export interface Selectors {
  /** Matchers that select the etcd members' own metrics (e.g. namespace="openshift-etcd"). */
  readonly member: readonly Matcher[];
  /** The label that names a member in those series ("pod" on OpenShift, "instance" elsewhere). */
  readonly memberLabel: string;
  /** Matchers that select node_exporter series. */
  readonly node: readonly Matcher[];
  /** The label that names a node in node_exporter series. */
  readonly nodeLabel: string;
  /** Matchers that select cAdvisor series of the etcd containers (grouped by memberLabel). */
  readonly container: readonly Matcher[];
}

export const OPENSHIFT_SELECTORS: Selectors = {
  member: [{ label: 'namespace', op: '=', value: 'openshift-etcd' }, { label: 'job', op: '=~', value: '.*etcd.*' }],
  memberLabel: 'pod',
  node: [{ label: 'job', op: '=~', value: '.*node.*exporter.*|node' }],
  nodeLabel: 'instance',
  container: [{ label: 'namespace', op: '=', value: 'openshift-etcd' }, { label: 'container', op: '=', value: 'etcd' }],
};

/** Parses `label="v"`, `label=~"re"` lists as written in PromQL braces: `job="etcd",ns=~"a|b"`. */
export function parseMatchers(text: string): Matcher[] {
  const out: Matcher[] = [];
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let pos = 0;
  const src = text.trim().replace(/^\{|\}$/g, '');
  while (pos < src.length) {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new RangeError(`invalid label matchers "${text}" at "${src.slice(pos)}": use label="value" or label=~"regex", comma separated`);
    out.push({ label: m[1] as string, op: m[2] as Matcher['op'], value: (m[3] as string).replace(/\\(.)/g, '$1') });
    pos = re.lastIndex;
  }
  return out;
}
