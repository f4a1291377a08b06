/**
 * pnpm bench:store — the store's raw insert ceiling and query latency, on both backends:
 * embedded chDB in this process, and @clickhouse/client over HTTP to the loopback ClickHouse
 * server of @etcd-analyzer/testkit (chDB in a child process: HTTP and a second engine's costs
 * included; a real server's figures will differ). Figures only, no assertions.
 *
 * Batches are what the collector publishes: one category of one cluster per tick — 16 metrics x
 * 3 members x 3 points (30 s at a 10 s step) = 144 rows — and, for the ceiling with bigger
 * inserts, 16 x 3 x 60 = 2,880 rows (a 10-minute window). Each write is a real writeBatch
 * (member_status + samples, dedup token, both rollup views).
 *
 *   node packages/shared/bench/store.bench.ts [--seconds 10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
// testkit depends on shared, so shared imports its ClickHouse server by path (no dependency cycle).
import { startClickHouseHttp } from '../../testkit/src/clickhouse-http.ts';
import type { MetricBatch } from '../src/schema/index.ts';
import { createStore, type Store } from '../src/store/index.ts';
import { makeBatch } from '../test/store-fixtures.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const METRICS = Array.from({ length: 16 }, (_, i) => `metric${String(i).padStart(2, '0')}`);
const now = Math.floor(Date.now() / 60_000) * 60_000;

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** Writes fresh batches from `make(i)` for `seconds`, `inFlight` at a time. */
async function insertRun(store: Store, make: (i: number) => MetricBatch, seconds: number, inFlight: number) {
  const lat: number[] = [];
  let rows = 0;
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        const b = make(next++);
        const s = performance.now();
        const written = await store.writeBatch(b); // not `rows += await`: that reads rows before the await
        rows += written.samples;
        lat.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  return { rowsPerS: rows / secs, batchesPerS: lat.length / secs, p50: pct(lat, 50), p95: pct(lat, 95), batches: lat.length };
}

async function timeQuery(times: number, q: () => Promise<unknown>) {
  const lat: number[] = [];
  for (let i = 0; i < times; i++) {
    const s = performance.now();
    await q();
    lat.push(performance.now() - s);
  }
  return { p50: pct(lat, 50), p95: pct(lat, 95) };
}

async function bench(name: string, store: Store): Promise<void> {
  await store.migrate();
  const small = (cluster: string) => (i: number) => makBatchAt(cluster, i, 3);
  const makBatchAt = (cluster: string, i: number, points: number) => makeBatch({ cluster: `${cluster}-${i % 20}`, category: 'consensus', endMs: now - Math.floor(i / 20) * points * 10_000, points, stepS: 10, metrics: METRICS });
  await insertRun(store, small('warmup'), 1, 1);
  const seq = await insertRun(store, small('seq'), SECONDS, 1);
  const par = await insertRun(store, small('par'), SECONDS, 4);
  const big = await insertRun(store, (i) => makBatchAt('big', i, 60), SECONDS, 1);
  const dupBatch = makBatchAt('seq', 0, 3);
  const dup = await timeQuery(20, () => store.writeBatch(dupBatch));

  // One cluster with 24 h at a 10 s step (17,280 points per series), for the series queries.
  for (let i = 0; i < 144; i++) await store.writeBatch(makeBatch({ cluster: 'query', category: 'consensus', endMs: now - i * 600_000, points: 60, stepS: 10, metrics: METRICS }));
  const q1h = await timeQuery(30, () => store.series({ cluster: 'query', metric: 'metric03', from: now - 3_600_000, to: now }));
  const q24h = await timeQuery(30, () => store.series({ cluster: 'query', metric: 'metric03', from: now - 86_400_000, to: now }));
  const q1hOne = await timeQuery(30, () => store.series({ cluster: 'query', metric: 'metric03', member: 'etcd-1', from: now - 3_600_000, to: now, agg: 'max' }));
  const stored = (await store.query('SELECT count() AS c FROM samples'))[0]?.c;

  console.log(`\n${name}  (${store.target})`);
  console.log(`  insert, 144-row batches, 1 in flight   ${fmt(seq.rowsPerS).padStart(9)} rows/s  ${fmt(seq.batchesPerS, 1).padStart(7)} batches/s  write p50 ${fmt(seq.p50, 1)} ms, p95 ${fmt(seq.p95, 1)} ms`);
  console.log(`  insert, 144-row batches, 4 in flight   ${fmt(par.rowsPerS).padStart(9)} rows/s  ${fmt(par.batchesPerS, 1).padStart(7)} batches/s  write p50 ${fmt(par.p50, 1)} ms, p95 ${fmt(par.p95, 1)} ms`);
  console.log(`  insert, 2,880-row batches, 1 in flight ${fmt(big.rowsPerS).padStart(9)} rows/s  ${fmt(big.batchesPerS, 1).padStart(7)} batches/s  write p50 ${fmt(big.p50, 1)} ms, p95 ${fmt(big.p95, 1)} ms`);
  console.log(`  a redelivered 144-row batch (dropped by its dedup token): p50 ${fmt(dup.p50, 1)} ms, p95 ${fmt(dup.p95, 1)} ms`);
  console.log(`  series, 1 h, 3 members, raw (500 points max)   p50 ${fmt(q1h.p50, 1)} ms, p95 ${fmt(q1h.p95, 1)} ms`);
  console.log(`  series, 1 h, 1 member, max                     p50 ${fmt(q1hOne.p50, 1)} ms, p95 ${fmt(q1hOne.p95, 1)} ms`);
  console.log(`  series, 24 h, 3 members, 1-minute rollup       p50 ${fmt(q24h.p50, 1)} ms, p95 ${fmt(q24h.p95, 1)} ms`);
  console.log(`  rows stored: ${fmt(Number(stored))}; load average now ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

const root = mkdtempSync(join(tmpdir(), 'store-bench-'));
console.log(`store bench: ${SECONDS} s per insert run, ${cpus().length} CPUs, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (other work on the machine slows every figure)`);
try {
  const embedded = await createStore({ dataDir: join(root, 'embedded'), database: 'bench' });
  try {
    await bench('embedded chDB', embedded);
  } finally {
    await embedded.close();
  }
  const server = await startClickHouseHttp({ dataDir: join(root, 'server'), users: { bench: { password: 'bench' } } });
  try {
    const http = await createStore({ url: server.url, username: 'bench', password: 'bench', database: 'bench' });
    try {
      await bench('server URL: @clickhouse/client over HTTP to the loopback server (chDB in a child process)', http);
    } finally {
      await http.close();
    }
  } finally {
    await server.close();
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
