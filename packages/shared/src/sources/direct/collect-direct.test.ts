import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../catalog/index.ts';
import { collectDirect, createDirectSession } from './collect-direct.ts';
import { scrape, ScrapeError, type DirectTarget } from './scrape.ts';

// A loopback HTTP server plays the targets a healthy etcd never is: wrong paths, stalls, cut
// bodies, binary answers, duplicated series, counters that flap. Bodies are real etcd 3.4 texts.
const etcd = readFileSync(new URL('./fixtures/etcd-3.4.23-member-of-3.txt', import.meta.url), 'utf8');
const nodeExporter = readFileSync(new URL('./fixtures/node-exporter-1.5.0.txt', import.meta.url), 'utf8');
const committed = Number(/^etcd_server_proposals_committed_total (\d+)$/m.exec(etcd)?.[1]);
const start = Number(/^process_start_time_seconds (\S+)$/m.exec(etcd)?.[1]);

/** The etcd text with its commit counter and process start time set. */
const member = (commits: number, startTime = start): string =>
  etcd.replace(/^etcd_server_proposals_committed_total \d+$/m, `etcd_server_proposals_committed_total ${commits}`).replace(/^process_start_time_seconds \S+$/m, `process_start_time_seconds ${startTime}`);

let server: Server;
let base = '';
const hits = new Map<string, number>();
let lastAuthorization = '';

function answer(path: string, n: number, res: ServerResponse): void {
  const ok = (body: string | Buffer): void => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(body);
  };
  switch (path) {
    case '/good':
      return ok(member(committed + 10 * n));
    case '/node':
      return ok(nodeExporter);
    case '/missing':
      res.writeHead(404);
      return void res.end('404 page not found\n');
    case '/hang':
      return;
    case '/stall':
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.write(etcd.slice(0, 5000));
    case '/cut':
      return ok(etcd.slice(0, 70_000));
    case '/binary':
      return ok(gzipSync(etcd));
    case '/dup':
      return ok(`${member(committed + 10 * n)}etcd_server_has_leader 1\n`);
    case '/flap':
      // Two processes behind one address: the counter jumps between theirs, same start time.
      return ok(member(n % 2 ? committed : committed + 5000 + 10 * n));
    case '/restart':
      return ok(n < 3 ? member(committed + 10 * n) : member(10 * (n - 3), start + 100));
  }
  res.writeHead(500);
  res.end();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/\?.*/, '');
    lastAuthorization = req.headers.authorization ?? '';
    const n = hits.get(path) ?? 0;
    hits.set(path, n + 1);
    answer(path, n, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const target = (path: string, scope: 'member' | 'node' = 'member', entity = path.slice(1)): DirectTarget => ({ entity, url: `${base}${path}`, scope });

async function scrapeFailure(t: DirectTarget, timeoutMs = 2000): Promise<ScrapeError> {
  try {
    await scrape(t, { timeoutMs });
  } catch (e) {
    if (e instanceof ScrapeError) return e;
    throw e;
  }
  throw new Error('expected a ScrapeError');
}

/** A clock that jumps instead of waiting: 15 minutes of rounds replay in milliseconds. */
function fakeClock(): { now(): number; sleep(ms: number): Promise<void> } {
  let t = 1_700_000_000_000;
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

describe('scrape: every failure names the URL and the reason', () => {
  it('reads a real member and keeps the asked families only', async () => {
    const e = await scrape(target('/good'), { timeoutMs: 2000, keep: (n) => n === 'etcd_server_has_leader' });
    expect([...e.samples.keys()]).toEqual(['etcd_server_has_leader']);
  });

  it('reports a 404, a refused connection, a timeout and a stalled body', async () => {
    expect(await scrapeFailure(target('/missing'))).toMatchObject({ kind: 'http', message: expect.stringMatching(new RegExp(`^direct: ${base}/missing: HTTP 404 \\(no /metrics at that path`)) });
    const refused = await scrapeFailure({ entity: 'x', url: 'http://127.0.0.1:1/metrics', scope: 'member' });
    expect(refused).toMatchObject({ kind: 'unreachable', message: 'direct: http://127.0.0.1:1/metrics: cannot connect: connection refused (nothing listens on that port)' });
    expect(await scrapeFailure(target('/hang'), 300)).toMatchObject({ kind: 'timeout', message: `direct: ${base}/hang: no answer within 300 ms` });
    expect(await scrapeFailure(target('/stall'), 300)).toMatchObject({ kind: 'timeout', message: `direct: ${base}/stall: the body stalled: no complete answer within 300 ms (5000 bytes received)` });
  });

  it('fails a cut body and a binary one, without echoing the bytes', async () => {
    expect((await scrapeFailure(target('/cut'))).message).toMatch(new RegExp(`^direct: ${base}/cut: incomplete answer \\(truncated: the body ends in the middle of line \\d+ \\(no final line feed\\); content-type text/plain\\)$`));
    const binary = await scrapeFailure(target('/binary'));
    expect(binary.kind).toBe('malformed');
    expect(binary.message).toMatch(/not the Prometheus text format \((binary data|line 1)/);
    // eslint-disable-next-line no-control-regex
    expect(binary.message).not.toMatch(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
  });

  it('names a target without etcd metrics, and says what it is', async () => {
    const e = await scrapeFailure(target('/node'));
    expect(e).toMatchObject({ kind: 'no-data', message: `direct: no etcd metrics at ${base}/node (it serves node_exporter metrics: give it with --node-exporter)` });
    expect((await scrapeFailure(target('/good', 'node'))).message).toMatch(/no node_exporter metrics at .*\/good \(it serves etcd metrics: give it with --direct\)/);
  });

  it('sends URL credentials as Basic auth and never prints them', async () => {
    await scrape({ entity: 'a', url: `${base.replace('//', '//admin:hunter2@')}/good`, scope: 'member' }, { timeoutMs: 2000 });
    expect(lastAuthorization).toBe(`Basic ${Buffer.from('admin:hunter2').toString('base64')}`);
    const e = await scrapeFailure({ entity: 'a', url: `${base.replace('//', '//admin:hunter2@')}/missing`, scope: 'member' });
    expect(e.message).not.toContain('hunter2');
    expect(e.message).toContain('//***@127.0.0.1');
  });
});

describe('collectDirect', () => {
  it('stops after the first round when no member answers, whatever the duration', async () => {
    const r = await collectDirect({ targets: [target('/missing'), { entity: 'gone', url: 'http://127.0.0.1:1/metrics', scope: 'member' }, target('/node', 'node')], metrics: CATALOG, intervalSeconds: 5, durationSeconds: 900 });
    expect(r.requests).toBe(3);
    expect(r.series).toEqual([]);
    expect(r.problems.map((p) => [p.entity, p.kind])).toEqual([['missing', 'http'], ['gone', 'unreachable']]);
  });

  it('honours the timeout in the first round', async () => {
    const r = await collectDirect({ targets: [target('/hang')], metrics: CATALOG, intervalSeconds: 5, durationSeconds: 900, timeoutMs: 300 });
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'timeout', message: `direct: ${base}/hang: no answer within 300 ms` })]);
  });

  it('drops a target that fails the first round while others answer, and goes on with the others', async () => {
    const r = await collectDirect({ targets: [target('/good'), target('/missing')], metrics: CATALOG, intervalSeconds: 5, durationSeconds: 60, clock: fakeClock() });
    expect(r.requests).toBe(13 + 1);
    expect(r.problems[0]).toMatchObject({ kind: 'http', entity: 'missing', message: expect.stringMatching(/HTTP 404.*; not scraped again/) });
    const rate = r.series.find((s) => s.metric === 'proposalsCommittedRate' && s.entity === 'good');
    // 10 commits per 5 s round.
    expect(rate?.summary?.max).toBeCloseTo(2, 9);
    expect(rate?.coverage).toBe(1);
    expect(r.series.filter((s) => s.metric === 'peerRttP90ByPeer' && s.entity === 'good').length).toBeLessThanOrEqual(2);
  });

  it('reports duplicated series and counters that keep going backwards, but not a restart', async () => {
    const r = await collectDirect({ targets: [target('/dup'), target('/flap'), target('/restart')], metrics: CATALOG, intervalSeconds: 5, durationSeconds: 60, clock: fakeClock() });
    const dup = r.problems.find((p) => p.entity === 'dup');
    expect(dup).toMatchObject({ kind: 'malformed', message: expect.stringMatching(/served the same series twice in 13 of 13 scrapes \(e\.g\. etcd_server_has_leader\)/) });
    const flap = r.problems.find((p) => p.entity === 'flap');
    expect(flap).toMatchObject({ kind: 'malformed', message: expect.stringMatching(/counter series went backwards without a restart \(e\.g\. etcd_server_proposals_committed_total 6 times in 13 scrapes\)/) });
    expect(flap?.metrics).toContain('proposalsCommittedRate');
    expect(r.series.some((s) => s.entity === 'flap' && s.metric === 'proposalsCommittedRate')).toBe(false);
    expect(r.problems.some((p) => p.entity === 'restart')).toBe(false);
    // Across the restart the rate stays 2/s: the reset counts from zero, as in PromQL.
    const restart = r.series.find((s) => s.entity === 'restart' && s.metric === 'proposalsCommittedRate');
    expect(restart?.summary?.max).toBeCloseTo(2, 9);
  });
});

describe('a direct session across a collector\'s ticks', () => {
  it('scrapes once per tick, keeps rates across ticks, and counts increases from the previous tick\'s last scrape', async () => {
    const clock = fakeClock();
    const metrics = CATALOG.filter((m) => ['proposalsCommittedRate', 'proposalsFailed', 'hasLeader'].includes(m.id));
    const hitsBefore = hits.get('/good') ?? 0;
    const session = createDirectSession({ targets: [target('/good')], metrics, intervalSeconds: 10, clock });
    // First tick: one scrape; a rate or an increase needs two, so only the gauge has a value.
    const first = await session.collect(clock.now());
    expect(first.series.map((x) => x.metric)).toEqual(['hasLeader']);
    // Each later tick: one scrape 10 s on, with the commit counter 10 higher (1/s).
    for (let i = 0; i < 3; i++) {
      const r = await session.collect(clock.now() + 10_000);
      expect(r.requests).toBe(1);
      const rate = r.series.find((x) => x.metric === 'proposalsCommittedRate');
      expect(rate?.points).toHaveLength(1);
      expect(rate?.points[0]![1]).toBeCloseTo(1, 9);
      expect(r.series.find((x) => x.metric === 'proposalsFailed')?.points[0]![1]).toBe(0);
      expect(r.end - r.start).toBe(0);
    }
    expect((hits.get('/good') ?? 0) - hitsBefore).toBe(4);
  });
});

