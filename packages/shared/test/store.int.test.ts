import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// testkit depends on shared, so shared's tests import its ClickHouse server by path (no dependency cycle).
import { startClickHouseHttp, type ClickHouseHttpServer } from '../../testkit/src/clickhouse-http.ts';
import { ConfigError } from '../src/errors/index.ts';
import type { MetricBatch, StoreConfigInput } from '../src/schema/index.ts';
import { createStore, isStoreError, sampleRows, type Store } from '../src/store/index.ts';
import { makeBatch, makeFindingEvent, makeReport, MEMBER_IDS } from './store-fixtures.ts';

// The same cases against both backends: chDB in this process, and @clickhouse/client over HTTP to
// the loopback ClickHouse server (chDB in a child process). Each case works in its own database.

const PASSWORD = 'n0t-in-any-error';
const MIN = 60_000;
let server: ClickHouseHttpServer & { pid: number };
let root: string;
let n = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'store-int-'));
  server = await startClickHouseHttp({ dataDir: join(root, 'server'), users: { analyzer: { password: PASSWORD } } });
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Backend {
  readonly name: string;
  config(database: string): StoreConfigInput;
}
const BACKENDS: Backend[] = [
  { name: 'embedded chDB', config: (database) => ({ dataDir: join(root, 'embedded'), database }) },
  { name: 'server URL (HTTP to the loopback server)', config: (database) => ({ url: server.url, username: 'analyzer', password: PASSWORD, database }) },
];

const count = async (s: Store, sql: string, params: Record<string, unknown> = {}): Promise<number> => Number((await s.query(sql, params))[0]?.c);

/** A minute's aggregates computed in JS from the fixture's own values. */
function expectedMinutes(batches: MetricBatch[], metric: string, member: string) {
  const by = new Map<number, { sum: number; n: number; min: number; max: number; last: number; lastT: number }>();
  for (const b of batches)
    for (const s of b.series)
      if (s.metric === metric && s.entity === member && !s.labels)
        for (const [t, v] of s.points) {
          const m = Math.floor((t * 1000) / MIN) * MIN;
          const a = by.get(m) ?? { sum: 0, n: 0, min: Infinity, max: -Infinity, last: 0, lastT: -1 };
          a.sum += v;
          a.n++;
          a.min = Math.min(a.min, v);
          a.max = Math.max(a.max, v);
          if (t > a.lastT) {
            a.last = v;
            a.lastT = t;
          }
          by.set(m, a);
        }
  return by;
}

describe.each(BACKENDS)('store on $name', (backend) => {
  const open = async (over: Partial<StoreConfigInput> = {}, database = `t${++n}_${Date.now() % 100000}`): Promise<Store> => createStore({ ...backend.config(database), ...over } as StoreConfigInput);

  it('applies migrations once, also when two processes start together', async () => {
    const a = await open();
    const b = await open({}, a.database);
    try {
      const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
      expect([...ra.applied, ...rb.applied].length).toBeGreaterThanOrEqual(6);
      expect(await a.migrate()).toEqual({ applied: [], version: 6, retentionChanged: [] });
      expect(await a.query('SELECT version, count() AS c FROM schema_migrations GROUP BY version ORDER BY version')).toEqual([1, 2, 3, 4, 5, 6].map((v) => ({ version: v, c: 1 })));
      const tables = (await a.query('SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name', { db: a.database })).map((r) => r.name);
      expect(tables).toEqual(['findings', 'log_counts', 'log_events', 'member_status', 'reports', 'samples', 'samples_1h', 'samples_1h_mv', 'samples_1m', 'samples_1m_mv', 'schema_migrations']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('round-trips a batch: samples with peers and labels, member status, log events, cluster list', async () => {
    const s = await open();
    try {
      await s.migrate();
      const now = Date.now();
      const batch = makeBatch({ endMs: now, points: 4, peerMetrics: ['peerRttP90ByPeer'], withStatus: true, withLogs: true });
      batch.series.push({ metric: 'serverId', scope: 'member', entity: 'etcd-1', labels: { server_id: MEMBER_IDS['etcd-1']! }, unit: 'boolean', points: [[now / 1000, 1]], coverage: 1, summary: null });
      expect(await s.writeBatch(batch)).toEqual({ samples: 4 * (2 * 3 + 6) + 1, memberStatus: 3, logEvents: 2, logCounts: 2, skippedPoints: 0 });
      const stored = await s.batchSamples({ cluster: batch.cluster, batchId: batch.id });
      const expected = sampleRows(batch)
        .rows.map((r) => ({ ts: Date.parse(`${r.ts.replace(' ', 'T')}Z`) / 1000, metric: r.metric, member: r.member, peer: r.peer, labels: r.labels, scope: r.scope, unit: r.unit, value: r.value }))
        .sort((x, y) => x.metric.localeCompare(y.metric) || x.member.localeCompare(y.member) || x.peer.localeCompare(y.peer) || x.ts - y.ts);
      expect(stored).toEqual(expected);
      const status = await s.memberStatus(batch.cluster);
      expect(status.map((m) => [m.member, m.present, m.status?.leader, m.status?.healthy, m.status?.raftIndex ?? null, m.status?.alarms])).toEqual([
        ['etcd-0', true, true, true, 123_456_789_012, []],
        ['etcd-1', true, false, true, 123_456_789_013, ['NOSPACE']],
        ['etcd-2', true, false, false, null, []],
      ]);
      expect(status[2]!.status!.errors).toEqual(['context deadline exceeded']);
      expect(await s.query("SELECT member, kind, peer, message FROM log_events WHERE kind = 'peer-unhealthy'")).toEqual([{ member: 'etcd-0', kind: 'peer-unhealthy', peer: MEMBER_IDS['etcd-2'], message: "prober detected unhealthy status, it's 'bad'" }]);
      expect(await count(s, 'SELECT sum(count) AS c FROM log_counts')).toBe(43);
      expect(await s.clusters()).toEqual([{ cluster: 'prod-east', lastSampleAt: new Date(now).toISOString() }]);
    } finally {
      await s.close();
    }
  });

  it('stores a redelivered batch once (also across midnight partitions and concurrent copies), rollups included', async () => {
    const s = await open();
    try {
      await s.migrate();
      const midnight = Math.floor(Date.now() / 86_400_000) * 86_400_000;
      const batch = makeBatch({ endMs: midnight + 60_000, points: 12, stepS: 10, withStatus: true, withLogs: true }); // 10 points before midnight, 2 after
      await s.writeBatch(batch);
      await Promise.all([s.writeBatch(batch), s.writeBatch(batch), s.writeBatch(batch)]);
      const other = makeBatch({ endMs: midnight + 60_000, points: 12, stepS: 10, cluster: 'prod-west' }); // same times, another batch
      await s.writeBatch(other);
      const rows = 12 * 6;
      expect(await count(s, 'SELECT count() AS c FROM samples WHERE batch_id = {id:String}', { id: batch.id })).toBe(rows);
      expect(await count(s, 'SELECT uniqExact(toDate(ts)) AS c FROM samples')).toBe(2);
      expect(await count(s, 'SELECT count() AS c FROM samples')).toBe(2 * rows);
      for (const t of ['samples_1m', 'samples_1h']) expect(await count(s, `SELECT sum(n) AS c FROM (SELECT countMerge(samples) AS n FROM ${t} GROUP BY cluster, metric, member, peer, ts)`)).toBe(2 * rows);
      expect(await count(s, 'SELECT count() AS c FROM member_status')).toBe(6);
      expect(await count(s, 'SELECT count() AS c FROM log_events')).toBe(2);
      expect(await count(s, 'SELECT count() AS c FROM log_counts')).toBe(2);

      const firing = makeFindingEvent({ id: 'ep-1', state: 'firing', atMs: midnight });
      await s.writeFindingEvent(firing);
      await s.writeFindingEvent(firing);
      await s.writeFindingEvent(makeFindingEvent({ id: 'ep-1', state: 'resolved', atMs: midnight + 60_000 }));
      expect(await count(s, 'SELECT count() AS c FROM findings')).toBe(2);
      const report = makeReport({ id: 'r-1', generatedMs: midnight });
      await s.writeReport('prod-east', report);
      await s.writeReport('prod-east', report);
      expect(await count(s, 'SELECT count() AS c FROM reports')).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('keeps rollups that agree with raw samples, and picks raw, 1 m or 1 h by range with at most N points', async () => {
    const s = await open();
    try {
      await s.migrate();
      const end = Math.floor(Date.now() / MIN) * MIN - 5 * MIN;
      const batches = Array.from({ length: 36 }, (_, i) => makeBatch({ endMs: end - (35 - i) * 5 * MIN, points: 30, stepS: 10, seed: 3 }));
      for (const b of batches) await s.writeBatch(b);
      const raw = await s.query(
        `SELECT toUnixTimestamp(toStartOfMinute(ts)) * 1000 AS m, count() AS n, avg(value) AS avg, min(value) AS min, max(value) AS max, argMax(value, ts) AS last
         FROM samples WHERE metric = 'walFsyncP99' AND member = 'etcd-1' GROUP BY m ORDER BY m`,
      );
      const rolled = await s.query(
        `SELECT toUnixTimestamp(ts) * 1000 AS m, countMerge(samples) AS n, avgMerge(value_avg) AS avg, minMerge(value_min) AS min, maxMerge(value_max) AS max, argMaxMerge(value_last) AS last
         FROM samples_1m WHERE metric = 'walFsyncP99' AND member = 'etcd-1' GROUP BY m ORDER BY m`,
      );
      expect(rolled.length).toBe(181); // 180 minutes, and the last point sits on `end`
      const exact = (rows: Array<Record<string, unknown>>) => rows.map(({ avg: _avg, ...rest }) => rest);
      expect(exact(rolled)).toEqual(exact(raw));
      rolled.forEach((r, i) => expect(r.avg).toBeCloseTo(raw[i]!.avg as number, 9)); // summation order differs
      const hourlyRaw = await s.query("SELECT toStartOfHour(ts) AS h, count() AS n, max(value) AS max FROM samples WHERE metric = 'walFsyncP99' GROUP BY h ORDER BY h");
      const hourly = await s.query("SELECT ts AS h, countMerge(samples) AS n, maxMerge(value_max) AS max FROM samples_1h WHERE metric = 'walFsyncP99' GROUP BY h ORDER BY h");
      expect(hourly).toEqual(hourlyRaw);

      const from = end - 180 * MIN;
      const want = expectedMinutes(batches, 'walFsyncP99', 'etcd-1');
      const perMinute = await s.series({ cluster: 'prod-east', metric: 'walFsyncP99', member: 'etcd-1', from, to: end - 1, maxPoints: 180 });
      expect(perMinute.resolution).toBe('1m');
      expect(perMinute.stepSeconds).toBe(60);
      const pts = perMinute.series[0]!.points;
      expect(pts.length).toBe(180);
      for (const [t, v] of pts) expect(v).toBeCloseTo(want.get(t * 1000)!.sum / want.get(t * 1000)!.n, 9);
      const lastV = await s.series({ cluster: 'prod-east', metric: 'walFsyncP99', member: 'etcd-1', from, to: end - 1, maxPoints: 180, agg: 'last' });
      for (const [t, v] of lastV.series[0]!.points) expect(v).toBe(want.get(t * 1000)!.last);

      const wide = await s.series({ cluster: 'prod-east', metric: 'walFsyncP99', from: end - 40 * 3_600_000, to: end, maxPoints: 20, agg: 'max' });
      expect(wide.resolution).toBe('1h');
      expect(wide.series.map((x) => x.member)).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
      for (const x of wide.series) expect(x.points.length).toBeLessThanOrEqual(20);
      const top = Math.max(...batches.flatMap((b) => b.series.filter((x) => x.metric === 'walFsyncP99' && x.entity === 'etcd-2').flatMap((x) => x.points.map((p) => p[1]))));
      expect(Math.max(...wide.series[2]!.points.map((p) => p[1]))).toBe(top);

      const short = await s.series({ cluster: 'prod-east', metric: 'walFsyncP99', member: 'etcd-0', from: end - 10 * MIN, to: end, maxPoints: 1000 });
      expect(short.resolution).toBe('raw');
      expect(short.series[0]!.points).toEqual(batches.flatMap((b) => b.series.filter((x) => x.metric === 'walFsyncP99' && x.entity === 'etcd-0').flatMap((x) => x.points)).filter(([t]) => t * 1000 >= end - 10 * MIN && t * 1000 <= end));
      const capped = await s.series({ cluster: 'prod-east', metric: 'walFsyncP99', member: 'etcd-0', from: end - 60 * MIN, to: end, maxPoints: 7 });
      expect(capped.series[0]!.points.length).toBeLessThanOrEqual(7);
    } finally {
      await s.close();
    }
  });

  it('binds every value server-side: SQL in a cluster name is data', async () => {
    const s = await open();
    try {
      await s.migrate();
      const evil = "x'; DROP TABLE samples; -- \\' \" `{cluster:String}`";
      const now = Date.now();
      const batch = makeBatch({ cluster: evil, endMs: now });
      await s.writeBatch(batch);
      await s.writeFindingEvent(makeFindingEvent({ cluster: evil, id: `${evil}#1`, state: 'firing', atMs: now }));
      expect((await s.batchSamples({ cluster: evil, batchId: batch.id })).length).toBe(18);
      expect((await s.series({ cluster: evil, metric: 'walFsyncP99', from: now - 3_600_000, to: now })).series.length).toBe(3);
      expect((await s.findings({ cluster: evil })).items.map((f) => f.cluster)).toEqual([evil]);
      expect((await s.clusters()).map((c) => c.cluster)).toEqual([evil]);
      for (const probe of ["' OR 1=1 --", "x' OR '1'='1", `${evil}' OR '1'='1`]) {
        expect(await s.batchSamples({ cluster: probe, batchId: batch.id })).toEqual([]);
        expect((await s.findings({ cluster: probe })).items).toEqual([]);
      }
      expect(await count(s, 'SELECT count() AS c FROM samples')).toBe(18);
    } finally {
      await s.close();
    }
  });

  it('pages findings and reports with a cursor, filtered by cluster, severity, state and time', async () => {
    const s = await open();
    try {
      await s.migrate();
      const t0 = Date.now() - 3_600_000;
      for (let i = 0; i < 12; i++) {
        const cluster = i % 3 === 0 ? 'other' : 'prod-east';
        const severity = i % 2 ? 'warning' : 'critical';
        await s.writeFindingEvent(makeFindingEvent({ cluster, id: `ep-${i}`, state: 'pending', atMs: t0 + i * MIN, severity }));
        await s.writeFindingEvent(makeFindingEvent({ cluster, id: `ep-${i}`, state: 'firing', atMs: t0 + i * MIN + 30_000, severity }));
        if (i < 5) await s.writeFindingEvent(makeFindingEvent({ cluster, id: `ep-${i}`, state: 'resolved', atMs: t0 + 30 * MIN + i, severity }));
      }
      const all = [];
      let cursor: string | undefined;
      const sizes = [];
      do {
        const page = await s.findings({ limit: 10, ...(cursor ? { cursor } : {}) });
        sizes.push(page.items.length);
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(sizes).toEqual([10, 10, 9]);
      expect(new Set(all.map((f) => `${f.id}:${f.state}`)).size).toBe(29);
      expect(all.map((f) => Date.parse(f.at))).toEqual([...all.map((f) => Date.parse(f.at))].sort((a, b) => b - a));
      expect(all[0]).toEqual(makeFindingEvent({ cluster: 'prod-east', id: 'ep-4', state: 'resolved', atMs: t0 + 30 * MIN + 4, severity: 'critical' }));

      const prodCritical = await s.findings({ cluster: 'prod-east', severity: 'critical', state: 'firing' });
      expect(prodCritical.items.map((f) => f.id)).toEqual(['ep-10', 'ep-8', 'ep-4', 'ep-2']);
      const firingNow = await s.findings({ cluster: 'prod-east', state: 'firing', current: true });
      expect(firingNow.items.map((f) => f.id)).toEqual(['ep-11', 'ep-10', 'ep-8', 'ep-7', 'ep-5']);
      const window = await s.findings({ from: t0 + 2 * MIN, to: t0 + 3 * MIN + 30_000 });
      expect(window.items.map((f) => `${f.id}:${f.state}`)).toEqual(['ep-3:firing', 'ep-3:pending', 'ep-2:firing', 'ep-2:pending']);
      await expect(s.findings({ cursor: 'not-a-cursor' })).rejects.toThrow(/cursor: not a cursor this store issued/);

      for (let i = 0; i < 7; i++) await s.writeReport(i < 5 ? 'prod-east' : 'other', makeReport({ id: `r-${i}`, generatedMs: t0 + i * MIN, cluster: i < 5 ? 'prod-east' : 'other' }));
      const p1 = await s.reports({ cluster: 'prod-east', limit: 3 });
      const p2 = await s.reports({ cluster: 'prod-east', limit: 3, cursor: p1.nextCursor! });
      expect([...p1.items, ...p2.items].map((r) => r.id)).toEqual(['r-4', 'r-3', 'r-2', 'r-1', 'r-0']);
      expect(p2.nextCursor).toBeNull();
      expect(await s.report('r-2')).toEqual(makeReport({ id: 'r-2', generatedMs: t0 + 2 * MIN }));
      expect(await s.report('nope')).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('writes the configured TTL into the DDL and follows a changed retention', async () => {
    const s = await open({ ttlDays: 9, longTtlDays: 90 });
    try {
      await s.migrate();
      const ddl = async (t: string) => String((await s.query(`SHOW CREATE TABLE ${t}`))[0]?.statement);
      expect(await ddl('samples')).toContain('TTL toDateTime(ts) + toIntervalDay(9)');
      expect(await ddl('samples_1h')).toContain('TTL ts + toIntervalDay(90)');
      expect(await ddl('findings')).toContain('TTL toDateTime(at) + toIntervalDay(90)');
      const again = await open({ ttlDays: 14, longTtlDays: 90 }, s.database);
      try {
        expect((await again.migrate()).retentionChanged).toEqual(['log_counts', 'log_events', 'member_status', 'samples', 'samples_1m']);
        expect(await ddl('samples')).toContain('TTL toDateTime(ts) + toIntervalDay(14)');
        expect((await again.migrate()).retentionChanged).toEqual([]);
      } finally {
        await again.close();
      }
    } finally {
      await s.close();
    }
  });

  it('gives a read-only store a connection the engine keeps read-only', async () => {
    const w = await open();
    await w.migrate();
    await w.writeBatch(makeBatch({ endMs: Date.now() }));
    const ro = await open({ readonly: true, maxExecutionSeconds: 20 }, w.database);
    try {
      expect(await ro.query("SELECT getSetting('readonly') AS r, getSetting('max_execution_time') AS t")).toEqual([{ r: 1, t: 20 }]);
      expect(await count(ro, 'SELECT count() AS c FROM samples')).toBe(18);
      const refusal = await ro.writeBatch(makeBatch({ endMs: Date.now() - MIN })).catch((e: unknown) => e);
      expect(isStoreError(refusal) && refusal.clickhouseType).toBe('READONLY');
      await expect(ro.query('SELECT 1 SETTINGS readonly = 0')).rejects.toThrow(/READONLY/);
      await expect(ro.migrate()).rejects.toThrow(/READONLY/);
      expect(await count(w, 'SELECT count() AS c FROM samples')).toBe(18);
    } finally {
      await Promise.all([ro.close(), w.close()]);
    }
  });

  it('fails a read-only store on a missing database, naming it', async () => {
    await expect(open({ readonly: true }, 'never_created')).rejects.toThrow(/database never_created does not exist/);
  });
});

describe('store errors', () => {
  it('a malformed URL is a ConfigError naming the key, without the password', async () => {
    const e = await createStore({ url: 'http//nope', password: PASSWORD }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect(String((e as Error).message)).toBe('invalid store config: url: not a URL (expected http(s)://host:8123)');
  });

  it('a server that goes away fails ping, then answers again', async () => {
    const own = await startClickHouseHttp({ dataDir: join(root, 'ping-server') });
    const s = await createStore({ url: own.url, database: 'ping' });
    expect(await s.ping()).toBe(true);
    await own.close();
    expect(await s.ping()).toBe(false);
    await expect(s.clusters()).rejects.toThrow(/cannot reach ClickHouse at http:\/\/127\.0\.0\.1:\d+ \(clusters\)/);
    await s.close();
  });

  it('an unreachable URL is a StoreError saying so, without the password', async () => {
    const e = await createStore({ url: 'http://127.0.0.1:1', username: 'analyzer', password: PASSWORD }).catch((x: unknown) => x);
    expect(isStoreError(e)).toBe(true);
    expect((e as Error).message).toMatch(/^cannot reach ClickHouse at http:\/\/127\.0\.0\.1:1 \(connect\): ECONNREFUSED/);
    expect(JSON.stringify({ m: (e as Error).message, s: (e as Error).stack, c: (e as { context: unknown }).context })).not.toContain(PASSWORD);
  });

  it('a wrong password is a StoreError with ClickHouse code 516, without the password', async () => {
    const wrong = `${PASSWORD}-typo`;
    const e = await createStore({ url: server.url, username: 'analyzer', password: wrong }).catch((x: unknown) => x);
    expect(isStoreError(e) && [e.clickhouseCode, e.clickhouseType]).toEqual(['516', 'AUTHENTICATION_FAILED']);
    expect((e as Error).message).toContain('analyzer: Authentication failed');
    const everything = JSON.stringify({ m: (e as Error).message, s: (e as Error).stack, c: (e as { context: unknown }).context, cause: String((e as Error).cause) });
    expect(everything).not.toContain(PASSWORD);
  });

  it('embedded storage refuses a second data directory in one process, saying why', async () => {
    const first = await createStore({ dataDir: join(root, 'embedded'), database: 'dirs' });
    try {
      const e = await createStore({ dataDir: join(root, 'elsewhere'), database: 'dirs' }).catch((x: unknown) => x);
      expect(isStoreError(e)).toBe(true);
      expect((e as Error).message).toContain('embedded storage binds one data directory per process');
    } finally {
      await first.close();
    }
  });

  it('a closed store says so', async () => {
    const s = await createStore({ dataDir: join(root, 'embedded'), database: 'closed' });
    expect(await s.ping()).toBe(true);
    await s.close();
    expect(await s.ping()).toBe(false);
    await s.close();
    await expect(s.clusters()).rejects.toThrow(/the store is closed/);
  });
});
