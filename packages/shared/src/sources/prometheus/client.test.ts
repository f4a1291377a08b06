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
    expect(s).toEqual({ series: [{ labels: { pod: 'etcd-0' }, points: [[1, 0.5], [4, 2]] }], warnings: [], outside: 0 });
    expect(c.requests).toBe(1);
    await c.close();
  });

  it('passes on the warnings of a partial answer (a Thanos store that did not answer)', async () => {
    const url = await serve((_p, _q, res) => json(res, 200, { status: 'success', warnings: ['No StoreAPIs matched for this query'], data: { resultType: 'vector', result: [] } }));
    const c = createPrometheusClient({ url });
    expect(await c.query('up', 1)).toEqual({ series: [], warnings: ['No StoreAPIs matched for this query'], outside: 0 });
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
    expect(e.message).toMatch(/http:\/\/127\.0\.0\.1:\d+\/: connection refused/);
    await c.close();
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => createPrometheusClient({ url: 'ftp://x' })).toThrow(/must be http/);
    expect(() => createPrometheusClient({ url: 'not a url' })).toThrow(/invalid URL/);
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
    // 1 range batch (failed) + its 3 range metrics alone + 1 instant batch.
    expect(queries).toHaveLength(5);
    expect(r.series.map((s) => s.metric).sort()).toEqual(['dbSize', 'leaderChanges', 'walFsyncP99']);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'promql', metric: 'proposalsCommittedRate' })]);
    const wal = r.series.find((s) => s.metric === 'walFsyncP99')!;
    expect(wal).toMatchObject({ entity: 'etcd-0', coverage: 1, points: [[100, 1], [115, 2]] });
    expect(wal.summary).toMatchObject({ count: 2, min: 1, max: 2, last: 2 });
    await client.close();
  });

  it('names every metric of a batch whose answer came with warnings, and keeps per-peer labels apart', async () => {
    const peers = CATALOG.filter((m) => ['peerRttP99ByPeer', 'walFsyncP99'].includes(m.id));
    const url = await serve((p, _q, res) => {
      const q = p.get('query') ?? '';
      const result = q.includes('peer_round_trip') ? [
        { metric: { [BATCH_LABEL]: 'peerRttP99ByPeer', pod: 'etcd-0', To: 'a1' }, values: [[100, '0.2']] },
        { metric: { [BATCH_LABEL]: 'peerRttP99ByPeer', pod: 'etcd-0', To: 'b2' }, values: [[100, '0.001']] },
      ] : [];
      json(res, 200, { status: 'success', warnings: ['partial response: store 10.0.0.5:10901 timed out'], data: { resultType: 'matrix', result } });
    });
    const client = createPrometheusClient({ url, retries: 0 });
    const r = await collectPrometheus({ client, metrics: peers, selectors: OPENSHIFT_SELECTORS, start: 100, end: 115, stepSeconds: 15 });
    expect(r.series.map((s) => [s.entity, s.labels, s.points[0]![1]])).toEqual([['etcd-0', { To: 'a1' }, 0.2], ['etcd-0', { To: 'b2' }, 0.001]]);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'partial', metrics: ['walFsyncP99', 'peerRttP99ByPeer'] })]);
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
});
