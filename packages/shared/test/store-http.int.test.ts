import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// testkit depends on shared, so shared's tests import its ClickHouse server by path (no dependency cycle).
import { startClickHouseHttp, type ClickHouseHttpServer } from '../../testkit/src/clickhouse-http.ts';
import { createStore } from '../src/store/index.ts';

// The loopback ClickHouse HTTP server itself: the wire format @clickhouse/client relies on, and one
// server shared by several client processes (what two analyzers on the URL path do).

const run = promisify(execFile);
const PASSWORD = 'wire-secret';
const auth = { Authorization: `Basic ${Buffer.from(`writer:${PASSWORD}`).toString('base64')}` };
let server: ClickHouseHttpServer & { pid: number };
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'store-http-'));
  server = await startClickHouseHttp({ dataDir: join(root, 'server'), users: { writer: { password: PASSWORD }, reader: { password: 'r', readonly: true } } });
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const post = (query: string, body: string, headers: Record<string, string> = auth) => fetch(`${server.url}/?${new URLSearchParams({ query })}`, { method: 'POST', body, headers });

describe('loopback ClickHouse HTTP server', () => {
  it('answers /ping and an empty GET like ClickHouse', async () => {
    const ping = await fetch(`${server.url}/ping`);
    expect([ping.status, await ping.text()]).toEqual([200, 'Ok.\n']);
    expect(await (await fetch(`${server.url}/`)).text()).toBe('Ok.\n');
  });

  it('reports errors in ClickHouse’s shape: status by code, exception header, Code: N body', async () => {
    const cases: Array<[string, Record<string, string>, number, string, RegExp]> = [
      ['SELEC 1', auth, 400, '62', /^Code: 62\. DB::Exception: .*\(SYNTAX_ERROR\) \(version 26\.\d+[^)]*\)\n$/s],
      ['SELECT * FROM nowhere.t', auth, 404, '81', /Database nowhere does not exist\. \(UNKNOWN_DATABASE\)/],
      ['SELECT 1', { Authorization: `Basic ${Buffer.from('writer:nope').toString('base64')}` }, 403, '516', /^Code: 516\. DB::Exception: writer: Authentication failed: .*\(AUTHENTICATION_FAILED\)/],
      ['SELECT 1', { 'X-ClickHouse-User': 'ghost', 'X-ClickHouse-Key': '' }, 403, '516', /ghost: Authentication failed/],
    ];
    for (const [sql, headers, status, code, body] of cases) {
      const r = await fetch(`${server.url}/`, { method: 'POST', body: sql, headers });
      expect([r.status, r.headers.get('x-clickhouse-exception-code')]).toEqual([status, code]);
      expect(await r.text()).toMatch(body);
    }
  });

  it('binds param_* server-side, takes database/default_format/settings from the URL, and sends the summary headers', async () => {
    const q = new URLSearchParams({ query: 'SELECT {s:String} AS s, {a:Array(String)} AS a, currentDatabase() AS db, getSetting(\'max_result_rows\') AS m', param_s: "it\\'s\\tx", param_a: "['a\\'b','c']", database: 'system', default_format: 'JSONEachRow', max_result_rows: '77', query_id: 'q-1' });
    const r = await fetch(`${server.url}/?${q}`, { headers: auth });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-clickhouse-query-id')).toBe('q-1');
    expect(r.headers.get('x-clickhouse-format')).toBe('JSONEachRow');
    expect(JSON.parse(r.headers.get('x-clickhouse-summary')!)).toMatchObject({ read_rows: expect.any(String), elapsed_ns: expect.any(String) });
    expect(JSON.parse(await r.text())).toEqual({ s: "it's\tx", a: ["a'b", 'c'], db: 'system', m: 77 });
  });

  it('inserts a body after the URL query, compresses when asked, and keeps GET and readonly users read-only', async () => {
    expect((await post('CREATE TABLE default.wire (a String, n UInt32) ENGINE = MergeTree ORDER BY a', '')).status).toBe(200);
    const ins = await post('INSERT INTO default.wire FORMAT JSONEachRow', '{"a":"x;\'","n":1}\n{"a":"y","n":2}\n');
    expect(ins.status).toBe(200);
    expect(JSON.parse(ins.headers.get('x-clickhouse-summary')!).written_rows).toBe('2');
    const gz = await fetch(`${server.url}/?${new URLSearchParams({ enable_http_compression: '1' })}`, { method: 'POST', body: 'SELECT a, n FROM default.wire ORDER BY n FORMAT CSV', headers: { ...auth, 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip'); // fetch decompresses it
    expect(await gz.text()).toBe('"x;\'",1\n"y",2\n');
    const viaGet = await fetch(`${server.url}/?${new URLSearchParams({ query: "INSERT INTO default.wire VALUES ('z', 3)" })}`, { headers: auth });
    expect([viaGet.status, viaGet.headers.get('x-clickhouse-exception-code')]).toEqual([500, '164']);
    const reader = await fetch(`${server.url}/`, { method: 'POST', body: "INSERT INTO default.wire VALUES ('z', 3)", headers: { 'X-ClickHouse-User': 'reader', 'X-ClickHouse-Key': 'r' } });
    expect(reader.headers.get('x-clickhouse-exception-code')).toBe('164');
  });

  it('serves every @clickhouse/client operation: ping, command, insert, query, exec', async () => {
    const client = createClient({ url: server.url, username: 'writer', password: PASSWORD, database: 'default', compression: { response: true, request: true } });
    try {
      expect((await client.ping()).success).toBe(true);
      await client.command({ query: 'CREATE TABLE IF NOT EXISTS client_ops (id UInt32, s String) ENGINE = MergeTree ORDER BY id' });
      await client.insert({ table: 'client_ops', values: [{ id: 1, s: 'a' }, { id: 2, s: "b'c" }], format: 'JSONEachRow' });
      const rows = await (await client.query({ query: 'SELECT id, s FROM client_ops WHERE s != {skip:String} ORDER BY id', query_params: { skip: 'zzz' }, format: 'JSONEachRow' })).json();
      expect(rows).toEqual([{ id: 1, s: 'a' }, { id: 2, s: "b'c" }]);
      const exec = await client.exec({ query: 'SELECT count() AS c FROM client_ops FORMAT JSONEachRow' });
      let text = '';
      for await (const chunk of exec.stream) text += String(chunk);
      expect(JSON.parse(text)).toEqual({ c: 2 });
    } finally {
      await client.close();
    }
  });

  it('is shared by several client processes: two writers storing the same batches store each once', async () => {
    const setup = await createStore({ url: server.url, username: 'writer', password: PASSWORD, database: 'drill' });
    await setup.migrate();
    const script = `
      import { createStore } from ${JSON.stringify(fileURLToPath(new URL('../src/store/index.ts', import.meta.url)))};
      import { makeBatch } from ${JSON.stringify(fileURLToPath(new URL('./store-fixtures.ts', import.meta.url)))};
      const [url, password, own, reverse] = process.argv.slice(1);
      const store = await createStore({ url, username: 'writer', password, database: 'drill' });
      const end = ${Math.floor(Date.now() / 60_000) * 60_000};
      const shared = Array.from({ length: 30 }, (_, i) => makeBatch({ endMs: end - i * 30_000 }));
      const mine = Array.from({ length: 10 }, (_, i) => makeBatch({ endMs: end - i * 30_000, cluster: own }));
      for (const b of [...(reverse === '1' ? shared.reverse() : shared), ...mine]) await store.writeBatch(b);
      await store.close();
      console.log('done', process.pid);`;
    const writer = (own: string, reverse: string) => run(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script, server.url, PASSWORD, own, reverse], { timeout: 180_000 });
    const [a, b] = await Promise.all([writer('alpha', '0'), writer('beta', '1')]);
    expect(a.stdout).toMatch(/^done \d+/);
    expect(b.stdout).toMatch(/^done \d+/);
    const counts = await setup.query('SELECT cluster, count() AS n, uniqExact(batch_id) AS batches FROM samples GROUP BY cluster ORDER BY cluster');
    expect(counts).toEqual([
      { cluster: 'alpha', n: 10 * 18, batches: 10 },
      { cluster: 'beta', n: 10 * 18, batches: 10 },
      { cluster: 'prod-east', n: 30 * 18, batches: 30 },
    ]);
    expect(await setup.query('SELECT count() AS n FROM member_status')).toEqual([{ n: 50 * 3 }]);
    await setup.close();
  });
});
