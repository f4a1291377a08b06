import { describe, expect, it } from 'vitest';
import { CATALOG, OPENSHIFT_SELECTORS, formatDuration, parseDuration, parseMatchers, renderPromQL, validateCatalog, catalogById, type RenderContext, type Selectors } from './index.ts';

const ctx = { selectors: OPENSHIFT_SELECTORS, rangeSeconds: 3600 };
const byId = catalogById(CATALOG);
const promql = (id: string, c: RenderContext = ctx): string => renderPromQL(byId.get(id)!, c);

describe('catalog', () => {
  it('is valid: unique camelCase ids, valid names, windows and quantiles', () => {
    expect(validateCatalog(CATALOG)).toEqual([]);
  });

  it('covers every signal of the reference deep drive and the etcd mixin', () => {
    const ids = new Set(CATALOG.map((m) => m.id));
    for (const id of [
      'walFsyncP99', 'backendCommitP99', 'peerRttP99', 'proposalsFailedRate', 'proposalsPending', 'leaderChanges', 'slowApplies',
      'slowReadIndexes', 'dbSize', 'dbSizeInUse', 'dbQuotaUsedPercent', 'dbFragmentationPercent', 'memberUp', 'hasLeader',
      'grpcFailedPercent', 'nodeIowaitPercent', 'nodeCpuPercent', 'nodeMemoryUsedPercent', 'nodeDiskWriteBytesRate',
      'compactionTimeRate', 'defragTimeTotal', 'snapshotSaveTimeRate', 'processCpuPercent', 'processResidentBytes',
      'peerSentFailuresRate', 'watchStreams', 'leaseStreams', 'nodeMajorFaultsRate', 'nodeNetworkDropsRate',
    ]) expect(ids, id).toContain(id);
    const refs = new Set(CATALOG.map((m) => m.reference).filter(Boolean));
    expect(refs.size).toBeGreaterThanOrEqual(40);
  });

  it('validation names duplicate ids and bad windows', () => {
    const m = CATALOG[0]!;
    const errs = validateCatalog([m, m, { ...m, id: 'Bad', expr: { kind: 'rate', metric: 'x', window: '5 minutes' } }]);
    expect(errs).toContain('memberUp: duplicate id');
    expect(errs).toContain('Bad: id must be camelCase');
    expect(errs).toContain('Bad: invalid window 5 minutes');
  });
});

describe('renderPromQL', () => {
  it('renders a histogram quantile grouped by the member label', () => {
    expect(promql('walFsyncP99')).toBe(
      'histogram_quantile(0.99, sum by (pod, le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket{namespace="openshift-etcd",job=~".*etcd.*"}[5m])))',
    );
  });

  it('uses the configured selectors and labels, never hard-coded ones', () => {
    const s: Selectors = { ...OPENSHIFT_SELECTORS, member: [{ label: 'job', op: '=', value: 'kube-etcd' }], memberLabel: 'instance' };
    expect(promql('proposalsCommittedRate', { selectors: s, rangeSeconds: 900 })).toBe(
      'sum by (instance) (rate(etcd_server_proposals_committed_total{job="kube-etcd"}[2m]))',
    );
  });

  it('renders "range" windows as the analysis window and ratios as binary expressions', () => {
    expect(promql('walFsyncP99Window', { ...ctx, rangeSeconds: 5400 })).toContain('[1h30m]');
    expect(promql('dbFragmentationPercent')).toBe(
      '((1 - (max by (pod) (etcd_mvcc_db_total_size_in_use_in_bytes{namespace="openshift-etcd",job=~".*etcd.*"}) / max by (pod) (etcd_mvcc_db_total_size_in_bytes{namespace="openshift-etcd",job=~".*etcd.*"}))) * 100)',
    );
  });

  it('applies leaf matchers after the scope selector and groups node metrics by the node label', () => {
    expect(promql('nodeIowaitPercent')).toBe(
      '((sum by (instance) (rate(node_cpu_seconds_total{job=~".*node.*exporter.*|node",mode="iowait"}[2m])) / count by (instance) (node_cpu_seconds_total{job=~".*node.*exporter.*|node",mode="idle"})) * 100)',
    );
  });

  it('scales the rates of young targets to their real age, and leaves every other series alone', () => {
    const young = promql('proposalsCommittedRate', { ...ctx, seriesStart: { member: new Map([['etcd-0', 1000], ['a$1"b', 1010]]) } });
    const plain = 'sum by (pod) (rate(etcd_server_proposals_committed_total{namespace="openshift-etcd",job=~".*etcd.*"}[2m]))';
    expect(young).toBe(`((${plain} * on (pod) group_left () (120 / clamp(time() - (label_replace(vector(1000), "pod", "etcd-0", "", "") or label_replace(vector(1010), "pod", "a$$1\\"b", "", "")), 1, 120))) or ${plain})`);
    // Node rates use the node label; gauges, quantiles and whole-window increases are never scaled.
    expect(promql('nodeCpuPercent', { ...ctx, seriesStart: { node: new Map([['n1', 5]]) } })).toContain('* on (instance) group_left () (120 / clamp(time() - (label_replace(vector(5), "instance", "n1", "", "")), 1, 120))');
    expect(promql('walFsyncP99', { ...ctx, seriesStart: { member: new Map([['etcd-0', 1]]) } })).toBe(promql('walFsyncP99'));
    expect(promql('leaderChanges', { ...ctx, seriesStart: { member: new Map([['etcd-0', 1]]) } })).toBe(promql('leaderChanges'));
  });

  it('escapes quotes and backslashes in matcher values', () => {
    const s: Selectors = { ...OPENSHIFT_SELECTORS, member: [{ label: 'job', op: '=~', value: 'a"b\\d' }] };
    expect(promql('memberUp', { selectors: s, rangeSeconds: 60 })).toBe('max by (pod) (up{job=~"a\\"b\\\\d"})');
  });
});

describe('durations and matchers', () => {
  it('parses compound durations', () => {
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('2d')).toBe(172800);
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(86400 + 61)).toBe('1d1m1s');
  });

  it('rejects what is not a duration, naming it', () => {
    expect(() => parseDuration('15')).toThrow('invalid duration "15"');
    expect(() => parseDuration('1x')).toThrow(/invalid duration/);
    expect(() => parseDuration('')).toThrow(/invalid duration/);
  });

  it('parses PromQL matcher lists', () => {
    expect(parseMatchers('namespace="openshift-etcd", job=~".*etcd.*"')).toEqual([
      { label: 'namespace', op: '=', value: 'openshift-etcd' },
      { label: 'job', op: '=~', value: '.*etcd.*' },
    ]);
    expect(parseMatchers('{a!="x\\"y"}')).toEqual([{ label: 'a', op: '!=', value: 'x"y' }]);
    expect(() => parseMatchers('job=etcd')).toThrow(/invalid label matchers "job=etcd"/);
  });
});
