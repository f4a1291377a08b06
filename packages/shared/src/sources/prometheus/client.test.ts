import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OPENSHIFT_SELECTORS, CATALOG } from '../../catalog/index.ts';
import { createPrometheusClient, PrometheusError } from './client.ts';
import { collectPrometheus } from './collect-prometheus.ts';
import { BATCH_LABEL } from './batch.ts';

// Error paths need answers a healthy Prometheus never gives; a loopback HTTP server plays them.
// The happy path is tested against a real Prometheus in the lab integration tests.
type Handler = (params: URLSearchParams, req: IncomingMessage, res: ServerResponse) => void;
let server: Server | undefined;

async function serve(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(new URLSearchParams(body), req, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function failure(p: Promise<unknown>): Promise<PrometheusError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PrometheusError) return e;
    throw e;
  }
  throw new Error('expected a PrometheusError');
}

describe('Prometheus client', () => {
  it('parses a range answer and drops NaN and Inf samples', async () => {
    const url = await serve((_p, _q, res) =>
      json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: { pod: 'etcd-0' }, values: [[1, '0.5'], [2, 'NaN'], [3, '+Inf'], [4, '2']] }] } }),
    );
    const c = createPrometheusClient({ url });
    const s = await c.queryRange('x', 0, 10, 1);
    expect(s).toEqual({ series: [{ labels: { pod: 'etcd-0' }, points: [[1, 0.5], [4, 2]] }], warnings: [], outside: 0, offGrid: 0 });
    expect(c.requests).toBe(1);
    await c.close();
  });

  it('passes on the warnings of a partial answer (a Thanos store that did not answer)', async () => {
    const url = await serve((_p, _q, res) => json(res, 200, { status: 'success', warnings: ['No StoreAPIs matched for this query'], data: { resultType: 'vector', result: [] } }));
    const c = createPrometheusClient({ url });
    expect(await c.query('up', 1)).toEqual({ series: [], warnings: ['No StoreAPIs matched for this query'], outside: 0, offGrid: 0 });
    await c.close();
  });

  it('reports a non-JSON answer as malformed, naming the endpoint', async () => {
    const url = await serve((_p, _q, res) => json(res, 200, '<html>login</html>'));
    const c = createPrometheusClient({ url, retries: 0 });
    const e = await failure(c.query('up', 1));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/api\/v1\/query: answer is not JSON \(<html>login/);
    await c.close();
  });

  it('reports JSON that is not an API answer as malformed, with the failing path', async () => {
    const url = await serve((_p, _q, res) => json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1]] }] } }));
    const c = createPrometheusClient({ url, retries: 0 });
    const e = await failure(c.query('up', 1));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/not a Prometheus API response: data.result.0.values.0/);
    await c.close();
  });

  it('does not retry PromQL errors and passes the server message through', async () => {
    let calls = 0;
    const url = await serve((_p, _q, res) => {
      calls++;
      json(res, 400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 3' });
    });
    const c = createPrometheusClient({ url, retries: 3 });
    const e = await failure(c.query('up{', 1));
    expect(e.kind).toBe('promql');
    expect(e.message).toBe('prometheus: bad_data: parse error at char 3');
    expect(calls).toBe(1);
    await c.close();
  });

  it('retries 5xx answers, then reports them', async () => {
    let calls = 0;
    const url = await serve((_p, _q, res) => {
      calls++;
      json(res, 502, 'bad gateway');
    });
    const c = createPrometheusClient({ url, retries: 2 });
    const e = await failure(c.query('up', 1));
    expect(e.kind).toBe('http');
    expect(calls).toBe(3);
    await c.close();
  });

  it('sends the bearer token but never puts it in an error', async () => {
    let seen = '';
    const url = await serve((_p, req, res) => {
      seen = req.headers.authorization ?? '';
      json(res, 403, 'forbidden');
    });
    const c = createPrometheusClient({ url, token: 's3cr3t-token' });
    const e = await failure(c.query('up', 1));
    expect(seen).toBe('Bearer s3cr3t-token');
    expect(e.kind).toBe('auth');
    expect(e.message).not.toContain('s3cr3t');
    await c.close();
  });

  it('reports a closed port as unreachable', async () => {
    const url = await serve(() => undefined);
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const c = createPrometheusClient({ url, retries: 0 });
    const e = await failure(c.query('up', 1));
    expect(e.kind).toBe('unreachable');
    expect(e.message).toMatch(/http:\/\/127\.0\.0\.1:\d+\/: cannot connect: connection refused/);
    await c.close();
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => createPrometheusClient({ url: 'ftp://x' })).toThrow(/must be http/);
    expect(() => createPrometheusClient({ url: 'not a url' })).toThrow(/invalid URL/);
  });
});

describe('Prometheus client: answers at any size, failures that say why', () => {
  const matrix = (result: unknown[]): string => JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });

  it('reads an answer that arrives in tiny chunks, with escaped and non-ASCII labels, as a whole one', async () => {
    const body = matrix([
      { metric: { pod: 'etcd-"0"\\x', zone: 'zürich \u00e9' }, values: [[100, '1.5'], [115, '2e-3']] },
      { metric: { pod: 'etcd-1' }, values: [[100, '-1'], [115, 'NaN']] },
    ]);
    const url = await serve((_p, _q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(body);
      let i = 0;
      const next = (): void => {
        if (i >= bytes.length) return void res.end();
        res.write(bytes.subarray(i, (i += 3)));
        setImmediate(next);
      };
      next();
    });
    const c = createPrometheusClient({ url });
    const r = await c.queryRange('x', 100, 115, 15);
    expect(r.series).toEqual([
      { labels: { pod: 'etcd-"0"\\x', zone: 'zürich é' }, points: [[100, 1.5], [115, 0.002]] },
      { labels: { pod: 'etcd-1' }, points: [[100, -1]] },
    ]);
    await c.close();
  });

  it('drops samples outside the asked window and counts them, so old data cannot pass for current', async () => {
    const url = await serve((_p, _q, res) => json(res, 200, matrix([{ metric: { pod: 'etcd-0' }, values: [[10, '0'], [100, '1'], [115, '1'], [900, '0']] }])));
    const c = createPrometheusClient({ url });
    const r = await c.queryRange('x', 100, 115, 15);
    expect(r.series[0]?.points).toEqual([[100, 1], [115, 1]]);
    expect(r.outside).toBe(2);
    await c.close();
  });

  it('keeps one sample per step of a series that has more, the latest of each step, as Prometheus answers', async () => {
    const values = Array.from({ length: 31 }, (_, i) => [100 + i, String(i)]);
    const url = await serve((_p, _q, res) => json(res, 200, matrix([{ metric: { pod: 'etcd-0' }, values }])));
    const c = createPrometheusClient({ url });
    const r = await c.queryRange('x', 100, 130, 15);
    expect(r.series[0]?.points).toEqual([[100, 0], [115, 15], [130, 30]]);
    expect(r.offGrid).toBe(28);
    await c.close();
  });

  it('stops reading at the series or points limit and says so', async () => {
    const result = Array.from({ length: 50 }, (_, i) => ({ metric: { pod: `etcd-${i}` }, values: [[100, '1'], [115, '2']] }));
    const url = await serve((_p, _q, res) => json(res, 200, matrix(result)));
    const c = createPrometheusClient({ url, limits: { maxSeries: 10 } });
    const r = await c.queryRange('x', 100, 115, 15);
    expect(r.capped).toEqual({ what: 'series', limit: 10 });
    expect(r.series).toHaveLength(10);
    const p = createPrometheusClient({ url, limits: { maxPoints: 7 } });
    const q = await p.queryRange('x', 100, 115, 15);
    expect(q.capped).toEqual({ what: 'points', limit: 7 });
    expect(q.series.reduce((a, s) => a + s.points.length, 0)).toBe(7);
    await Promise.all([c.close(), p.close()]);
  });

  it('says how long a timed-out query took in all, retries included, and names the endpoint', async () => {
    const url = await serve(() => undefined);
    const c = createPrometheusClient({ url, timeoutMs: 200, retries: 1 });
    const e = await failure(c.query('up', 1));
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(new RegExp(`^prometheus: ${url}/: no answer within 200 ms \\(2 attempts, [\\d.]+ (ms|s) in all\\)$`));
    await c.close();
  });

  it('names the endpoint of an answer that stalls half-way', async () => {
    const url = await serve((_p, _q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success","data":{"resultType":"matrix","result":[');
    });
    const c = createPrometheusClient({ url, timeoutMs: 300, retries: 0 });
    const e = await failure(c.queryRange('x', 0, 10, 5));
    expect(e.message).toBe(`prometheus: ${url}/api/v1/query_range: the answer stalled after 60 bytes: no complete answer within 300 ms`);
    await c.close();
  });

  it('reports binary garbage without echoing it', async () => {
    const url = await serve((_p, _q, res) => {
      res.writeHead(200);
      res.end(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]));
    });
    const c = createPrometheusClient({ url, retries: 0 });
    const e = await failure(c.query('up', 1));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/answer is not JSON \(binary data, 10\+ bytes\)$/);
    await c.close();
  });

  it('sends URL credentials as Basic auth and never prints them', async () => {
    let seen = '';
    const url = await serve((_p, req, res) => {
      seen = req.headers.authorization ?? '';
      json(res, 502, 'bad gateway');
    });
    const c = createPrometheusClient({ url: url.replace('//', '//admin:hunter2@'), retries: 0 });
    const e = await failure(c.query('up', 1));
    expect(seen).toBe(`Basic ${Buffer.from('admin:hunter2').toString('base64')}`);
    expect(e.message).not.toContain('hunter2');
    expect(() => createPrometheusClient({ url: 'http://admin:hunter2@prom:port' })).toThrow(/invalid URL "http:\/\/\*\*\*@prom:port"/);
    await c.close();
  });
});

describe('collectPrometheus batching', () => {
  const metrics = CATALOG.filter((m) => ['walFsyncP99', 'proposalsCommittedRate', 'dbSize', 'leaderChanges'].includes(m.id));

  it('batches metrics into few requests and splits a batch that fails on one bad expression', async () => {
    const queries: string[] = [];
    const url = await serve((p, _q, res) => {
      const q = p.get('query') ?? '';
      queries.push(q);
      // Pretend this Prometheus cannot evaluate the commit-rate expression.
      if (q.includes('proposals_committed')) return json(res, 422, { status: 'error', errorType: 'execution', error: 'boom' });
      const ids = [...q.matchAll(new RegExp(`"${BATCH_LABEL}", "(\\w+)"`, 'g'))].map((m) => m[1] as string);
      const result = ids.map((id) => ({ metric: { [BATCH_LABEL]: id, pod: 'etcd-0' }, values: [[100, '1'], [115, '2']], value: [115, '3'] }));
      json(res, 200, { status: 'success', data: p.has('step') ? { resultType: 'matrix', result: result.map(({ metric, values }) => ({ metric, values })) } : { resultType: 'vector', result: result.map(({ metric, value }) => ({ metric, value })) } });
    });
    const client = createPrometheusClient({ url, retries: 0 });
    const r = await collectPrometheus({ client, metrics, selectors: OPENSHIFT_SELECTORS, start: 100, end: 115, stepSeconds: 15, batchSize: 8 });
    // The targets' ages + 1 range batch (failed) + its 3 range metrics alone + 1 instant batch.
    expect(queries).toHaveLength(6);
    expect(queries[0]).toMatch(/^label_replace\(label_replace\(min by \(pod\) \(min_over_time\(timestamp\(up/);
    expect(r.series.map((s) => s.metric).sort()).toEqual(['dbSize', 'leaderChanges', 'walFsyncP99']);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'promql', metric: 'proposalsCommittedRate' })]);
    const wal = r.series.find((s) => s.metric === 'walFsyncP99')!;
    expect(wal).toMatchObject({ entity: 'etcd-0', coverage: 1, points: [[100, 1], [115, 2]] });
    expect(wal.summary).toMatchObject({ count: 2, min: 1, max: 2, last: 2 });
    await client.close();
  });

  it('names every metric of a batch whose answer came with warnings, and keeps per-peer labels apart', async () => {
    const peers = CATALOG.filter((m) => ['peerRttP90ByPeer', 'walFsyncP99'].includes(m.id));
    const url = await serve((p, _q, res) => {
      const q = p.get('query') ?? '';
      const result = q.includes('peer_round_trip') ? [
        { metric: { [BATCH_LABEL]: 'peerRttP90ByPeer', pod: 'etcd-0', To: 'a1' }, values: [[100, '0.2']] },
        { metric: { [BATCH_LABEL]: 'peerRttP90ByPeer', pod: 'etcd-0', To: 'b2' }, values: [[100, '0.001']] },
      ] : [];
      json(res, 200, { status: 'success', warnings: ['partial response: store 10.0.0.5:10901 timed out'], data: { resultType: 'matrix', result } });
    });
    const client = createPrometheusClient({ url, retries: 0 });
    const r = await collectPrometheus({ client, metrics: peers, selectors: OPENSHIFT_SELECTORS, start: 100, end: 115, stepSeconds: 15 });
    expect(r.series.map((s) => [s.entity, s.labels, s.points[0]![1]])).toEqual([['etcd-0', { To: 'a1' }, 0.2], ['etcd-0', { To: 'b2' }, 0.001]]);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'partial', metrics: ['walFsyncP99', 'peerRttP90ByPeer'] })]);
    expect(r.problems[0]!.message).toMatch(/store 10\.0\.0\.5:10901 timed out/);
    await client.close();
  });

  it('reports an unreachable Prometheus once, not once per metric', async () => {
    const client = createPrometheusClient({ url: 'http://127.0.0.1:1', retries: 0 });
    const r = await collectPrometheus({ client, metrics, selectors: OPENSHIFT_SELECTORS, detectMemberLabel: true, start: 0, end: 60, stepSeconds: 15 });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'unreachable' });
    await client.close();
  });

  it('splits a batch whose answer passes a limit, so only the huge metric is cut, and says what was cut', async () => {
    const url = await serve((p, _q, res) => {
      const q = p.get('query') ?? '';
      const ids = [...q.matchAll(new RegExp(`"${BATCH_LABEL}", "(\\w+)"`, 'g'))].map((m) => m[1] as string);
      const result = ids.flatMap((id) => Array.from({ length: id === 'dbSize' ? 40 : 3 }, (_, i) => ({ metric: { [BATCH_LABEL]: id, pod: `etcd-${i}` }, values: [[100, '1'], [115, '2']] })));
      json(res, 200, { status: 'success', data: { resultType: 'matrix', result } });
    });
    const ranged = CATALOG.filter((m) => ['walFsyncP99', 'dbSize'].includes(m.id));
    const client = createPrometheusClient({ url, retries: 0, limits: { maxSeries: 20 } });
    const r = await collectPrometheus({ client, metrics: ranged, selectors: OPENSHIFT_SELECTORS, start: 100, end: 115, stepSeconds: 15 });
    expect(r.series.filter((s) => s.metric === 'walFsyncP99')).toHaveLength(3);
    expect(r.series.filter((s) => s.metric === 'dbSize')).toHaveLength(20);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'partial', metric: 'dbSize', message: expect.stringMatching(/passed the limit of 20 series per query; kept the first 20 series \(40 points\), the rest was not read/) })]);
    await client.close();
  });

  it('reports samples outside the window once and never uses them', async () => {
    const url = await serve((_p, _q, res) => json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: { [BATCH_LABEL]: 'hasLeader', pod: 'etcd-0' }, values: [[40, '0'], [100, '1'], [115, '1']] }] } }));
    const client = createPrometheusClient({ url, retries: 0 });
    const r = await collectPrometheus({ client, metrics: CATALOG.filter((m) => m.id === 'hasLeader'), selectors: OPENSHIFT_SELECTORS, start: 100, end: 115, stepSeconds: 15 });
    expect(r.series[0]?.points).toEqual([[100, 1], [115, 1]]);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'malformed', message: expect.stringMatching(/held 1 samples outside the asked window .* \(ignored\)/) })]);
    await client.close();
  });

  it('reads no more than the collection-wide points limit leaves, and names the metrics it cut', async () => {
    const url = await serve((p, _q, res) => {
      const ids = [...(p.get('query') ?? '').matchAll(new RegExp(`"${BATCH_LABEL}", "(\\w+)"`, 'g'))].map((m) => m[1] as string);
      json(res, 200, { status: 'success', data: { resultType: 'matrix', result: ids.map((id) => ({ metric: { [BATCH_LABEL]: id, pod: 'etcd-0' }, values: [[100, '1'], [115, '2']] })) } });
    });
    const client = createPrometheusClient({ url, retries: 0 });
    const r = await collectPrometheus({ client, metrics: CATALOG.filter((m) => ['walFsyncP99', 'dbSize', 'hasLeader'].includes(m.id)), selectors: OPENSHIFT_SELECTORS, start: 100, end: 115, stepSeconds: 15, maxPoints: 4 });
    // The answer was read only up to the 4 points the collection had left: the batch may be cut anywhere.
    expect(r.series).toHaveLength(2);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'partial', message: expect.stringMatching(/reached its limit of 4 points; 3 metrics (\w+, ){2}\w+ are incomplete or missing/) })]);
    await client.close();
  });
});
