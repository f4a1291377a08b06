import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG, leaves } from '../../catalog/index.ts';
import { evaluateAt, evaluateVectorAt, type TargetScrapes } from './evaluate.ts';
import { parseExposition } from './parse-exposition.ts';
import { histogramQuantile } from './quantile.ts';
import { SeriesStore } from './series-store.ts';

const byId = (id: string) => CATALOG.find((m) => m.id === id)!.expr;
const target = (texts: Array<[number, string]>): TargetScrapes => ({ entity: 'etcd-0', scope: 'member', scrapes: texts.map(([t, text]) => ({ t, data: parseExposition(text) })) });

describe('histogramQuantile (Prometheus semantics)', () => {
  it('interpolates inside the bucket that holds the rank', () => {
    // 100 observations: 90 <= 1 ms, 9 in (1, 2] ms, 1 in (2, 4] ms. p99: rank 99 = last of (1,2] -> 2 ms.
    expect(histogramQuantile(0.99, new Map([[0.001, 90], [0.002, 99], [0.004, 100], [Infinity, 100]]))).toBeCloseTo(0.002, 12);
    // p50: rank 50 in the first bucket, from 0: 0.001 * 50/90
    expect(histogramQuantile(0.5, new Map([[0.001, 90], [0.002, 99], [0.004, 100], [Infinity, 100]]))).toBeCloseTo(0.001 * (50 / 90), 12);
    // p95: rank 95 in (1,2]: 1 ms + 1 ms * (95-90)/9
    expect(histogramQuantile(0.95, new Map([[0.001, 90], [0.002, 99], [0.004, 100], [Infinity, 100]]))).toBeCloseTo(0.001 + 0.001 * (5 / 9), 12);
  });
  it('returns the highest finite bound when the rank falls in +Inf', () => {
    expect(histogramQuantile(0.99, new Map([[0.001, 0], [0.002, 0], [Infinity, 10]]))).toBe(0.002);
  });
  it('has no value without observations, and fixes non-monotonic counts', () => {
    expect(histogramQuantile(0.99, new Map([[0.001, 0], [Infinity, 0]]))).toBeUndefined();
    expect(histogramQuantile(0.5, new Map([[0.001, 10], [0.002, 8], [Infinity, 10]]))).toBeCloseTo(0.0005, 12);
  });
});

describe('evaluateAt over scrapes', () => {
  const counter = (v: number): string => `# TYPE etcd_server_proposals_committed_total gauge\netcd_server_proposals_committed_total ${v}\n`;

  it('computes a rate across a counter restart and a missing scrape', () => {
    // 100 -> 160 (+60), scrape at t=20 missing, restart to 30 (+30): 90 over 30 s = 3/s
    const t = target([[0, counter(100)], [10, counter(160)], [30, counter(30)]]);
    expect(evaluateAt(byId('proposalsCommittedRate'), t, 30, 0, 15)).toBeCloseTo(3, 12);
  });
  it('has no rate from one sample, and no gauge from a stale scrape', () => {
    expect(evaluateAt(byId('proposalsCommittedRate'), target([[0, counter(1)]]), 0, 0, 15)).toBeUndefined();
    expect(evaluateAt(byId('proposalsCommittedTotal'), target([[0, counter(7)]]), 100, 0, 15)).toBeUndefined();
  });
  it('returns no value for a division by zero, not Infinity or 0', () => {
    const text = 'etcd_mvcc_db_total_size_in_bytes 0\netcd_server_quota_backend_bytes 0\n';
    expect(evaluateAt(byId('dbQuotaUsedPercent'), target([[0, text]]), 0, 0, 15)).toBeUndefined();
  });
  it('computes fragmentation and quota use from a real etcd 3.4 scrape', () => {
    const text = readFileSync(new URL('./fixtures/etcd-3.4-metrics.txt', import.meta.url), 'utf8');
    const t = target([[0, text]]);
    const total = Number(/^etcd_mvcc_db_total_size_in_bytes (\S+)/m.exec(text)![1]);
    const inUse = Number(/^etcd_mvcc_db_total_size_in_use_in_bytes (\S+)/m.exec(text)![1]);
    expect(evaluateAt(byId('dbFragmentationPercent'), t, 0, 0, 15)).toBeCloseTo((1 - inUse / total) * 100, 9);
    expect(evaluateAt(byId('hasLeader'), t, 0, 0, 15)).toBe(1);
  });
  it('computes a WAL fsync p99 from bucket deltas of two real scrapes', () => {
    const text = readFileSync(new URL('./fixtures/etcd-3.4-metrics.txt', import.meta.url), 'utf8');
    // The second scrape adds 100 fsyncs, all in (2 ms, 4 ms]: p99 = 2 ms + 2 ms * 99/100.
    const later = text.replace(/^etcd_disk_wal_fsync_duration_seconds_bucket\{le="([^"]+)"\} (\d+)/gm, (_m, le: string, n: string) => `etcd_disk_wal_fsync_duration_seconds_bucket{le="${le}"} ${Number(n) + (Number(le) >= 0.004 || le === '+Inf' ? 100 : 0)}`);
    const v = evaluateAt(byId('walFsyncP99'), target([[0, text], [10, later]]), 10, 0, 15);
    expect(v).toBeCloseTo(0.002 + 0.002 * 0.99, 12);
  });

  it('keeps one value per peer for a per-peer expression (by To), and the member id label', () => {
    const hist = (to: string, le: string, n: number): string => `etcd_network_peer_round_trip_time_seconds_bucket{To="${to}",le="${le}"} ${n}`;
    const scrapeText = (fast: number, slow: number): string => ['# TYPE etcd_network_peer_round_trip_time_seconds histogram',
      hist('a1', '0.001', fast), hist('a1', '0.2048', fast), hist('a1', '+Inf', fast),
      hist('b2', '0.001', 0), hist('b2', '0.2048', slow), hist('b2', '+Inf', slow),
      'etcd_server_id{server_id="c3"} 1', ''].join('\n');
    const t = target([[0, scrapeText(0, 0)], [10, scrapeText(50, 50)]]);
    const v = evaluateVectorAt(byId('peerRttP90ByPeer'), t, 10, 0, 15).sort((a, b) => a.labels.To!.localeCompare(b.labels.To!));
    expect(v.map((x) => x.labels)).toEqual([{ To: 'a1' }, { To: 'b2' }]);
    expect(v[0]!.value).toBeLessThanOrEqual(0.001);
    expect(v[1]!.value).toBeGreaterThan(0.1);
    expect(evaluateVectorAt(byId('serverId'), t, 10, 0, 15)).toEqual([{ labels: { server_id: 'c3' }, value: 1 }]);
  });
});


describe('SeriesStore: counters that go backwards', () => {
  const nics = (veth: number, eth: number): string => `node_network_receive_bytes_total{device="veth1a2b"} ${veth}\nnode_network_receive_bytes_total{device="eth0"} ${eth}\n`;

  it('counts drops only of series a rate reads, not of an interface the matchers leave out', () => {
    const store = new SeriesStore(leaves(byId('nodeNetworkRxBytesRate')), 0);
    for (let i = 0; i < 8; i++) store.add(i * 5, parseExposition(nics(i % 2 ? 10 : 1000, 100 * (i % 2 ? 1 : 2) + i)));
    expect(store.suspectCounters(3)).toEqual([{ series: 'node_network_receive_bytes_total{device="eth0"}', times: 4 }]);
  });
});
