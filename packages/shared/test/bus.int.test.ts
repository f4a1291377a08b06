import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// testkit depends on shared; importing its file directly keeps the package graph acyclic.
import { startNats, type NatsServer } from '../../testkit/src/nats-server.ts';
import {
  closeBus,
  connectBus,
  consumeDurable,
  DlqMessageCodec,
  ensureConsumer,
  ensureStreams,
  findingsFilter,
  followStream,
  metricsFilter,
  publishBatch,
  publishFindingEvent,
  publishReport,
  STREAMS,
  type Bus,
  type BusLogger,
  type DurableConsumer,
  type MessageMeta,
} from '../src/bus/index.ts';
import { sampleBatch, sampleFindingEvent } from '../src/bus/fixtures.ts';
import { buildFixtureReport } from '../src/report/fixtures.ts';
import type { DlqMessage, FindingEvent, MetricBatch } from '../src/schema/index.ts';

// Each test gets its own real nats-server (JetStream, file store on tmpfs) on a free port.

let srv: NatsServer;
let bus: Bus;
const extra: Bus[] = [];

function recordingLogger(): BusLogger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (fields: object, msg: string) => void lines.push(`${level} ${msg} ${JSON.stringify(fields)}`);
  return { lines, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function streamMessages(b: Bus, stream: string): Promise<number> {
  return (await b.jsm.streams.info(stream)).state.messages;
}

async function readAll<T>(b: Bus, stream: 'ETCD_DLQ' | 'ETCD_FINDINGS', count: number): Promise<T[]> {
  const out: T[] = [];
  const ac = new AbortController();
  for await (const { value } of followStream({ js: b.js, stream, from: 'all', signal: ac.signal })) {
    out.push(value as T);
    if (out.length === count) ac.abort();
  }
  return out;
}

beforeEach(async () => {
  srv = await startNats();
  bus = await connectBus({ servers: srv.url, requestTimeoutMs: 3_000 });
  await ensureStreams(bus.jsm);
});

afterEach(async () => {
  for (const b of extra.splice(0)) await closeBus(b);
  await closeBus(bus);
  await srv.stop();
});

describe('connection', () => {
  it('authenticates with user/password, and a refused login names no secret', async () => {
    const auth = await startNats({ args: ['--user', 'collector', '--pass', 's3cret-pw'] });
    try {
      const ok = await connectBus({ servers: auth.url, user: 'collector', password: 's3cret-pw' });
      expect(ok.nc.info?.version).toMatch(/^2\./);
      await closeBus(ok);
      const logger = recordingLogger();
      const err = await connectBus({ servers: `nats://collector:s3cret-pw@127.0.0.1:${auth.port}`, user: 'collector', password: 'wrong-s3cret' }, { logger }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'BusError', code: 'BUS_CONNECT' });
      expect((err as Error).message).not.toMatch(/s3cret/);
      expect(logger.lines.join('\n')).not.toMatch(/s3cret/);
    } finally {
      await auth.stop();
    }
  });

  it('waits for a server that is not up yet, and gives up at the deadline', async () => {
    const later = await startNats();
    await later.down();
    const connecting = connectBus({ servers: later.url, reconnect: { initialDelayMs: 100, maxDelayMs: 300, jitterMs: 0 } });
    await new Promise((r) => setTimeout(r, 700));
    await later.up();
    const b = await connecting;
    expect(b.nc.isClosed()).toBe(false);
    await closeBus(b);
    await later.down();
    const err = await connectBus({ servers: later.url, firstConnectDeadlineMs: 500, reconnect: { initialDelayMs: 100, maxDelayMs: 200, jitterMs: 0 } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BUS_CONNECT', message: expect.stringMatching(/not reachable after 500 ms/) });
    await later.stop();
  });
});

describe('streams and consumers', () => {
  it('setup is idempotent; changed limits update a stream in place and keep its data', async () => {
    expect(await ensureStreams(bus.jsm)).toEqual({ ETCD_METRICS: 'unchanged', ETCD_FINDINGS: 'unchanged', ETCD_REPORTS: 'unchanged', ETCD_DLQ: 'unchanged' });
    for (let i = 0; i < 5; i++) await publishBatch(bus.js, sampleBatch({}, i));
    const out = await ensureStreams(bus.jsm, { metrics: { maxAgeMs: 2 * 3_600_000, maxBytes: 64 * 1024 * 1024, duplicateWindowMs: 300_000 } });
    expect(out.ETCD_METRICS).toBe('updated');
    const info = await bus.jsm.streams.info(STREAMS.metrics);
    expect(info.config).toMatchObject({ max_age: 2 * 3_600_000 * 1e6, max_bytes: 64 * 1024 * 1024, duplicate_window: 300_000 * 1e6, storage: 'file' });
    expect(info.state.messages).toBe(5);
    const findings = await bus.jsm.streams.info(STREAMS.findings);
    expect(findings.config.max_age).toBeGreaterThanOrEqual(3_600_000 * 1e6);
  });

  it('refuses to change a stream it cannot change in place', async () => {
    await bus.jsm.streams.delete(STREAMS.reports);
    await bus.jsm.streams.add({ name: STREAMS.reports, subjects: ['etcd.reports.>'], storage: 'memory' as never });
    await expect(ensureStreams(bus.jsm)).rejects.toThrow(/ETCD_REPORTS has storage=memory, expected file/);
  });

  it('creates a durable consumer and updates its ack wait and max deliver, keeping its position', async () => {
    expect(await ensureConsumer(bus.jsm, STREAMS.metrics, { durable: 'analyzer', ackWaitMs: 30_000, maxDeliver: 5 })).toBe('created');
    expect(await ensureConsumer(bus.jsm, STREAMS.metrics, { durable: 'analyzer', ackWaitMs: 30_000, maxDeliver: 5 })).toBe('unchanged');
    await publishBatch(bus.js, sampleBatch());
    const c = await bus.js.consumers.get(STREAMS.metrics, 'analyzer');
    (await c.next())!.ack();
    await until('ack recorded', async () => (await c.info()).ack_floor.stream_seq === 1);
    expect(await ensureConsumer(bus.jsm, STREAMS.metrics, { durable: 'analyzer', ackWaitMs: 10_000, maxDeliver: 7 })).toBe('updated');
    const info = await bus.jsm.consumers.info(STREAMS.metrics, 'analyzer');
    expect(info.config).toMatchObject({ ack_wait: 10_000 * 1e6, max_deliver: 7, ack_policy: 'explicit' });
    expect(info.ack_floor.stream_seq).toBe(1);
  });
});

describe('publishing', () => {
  it('deduplicates a republished batch by its id', async () => {
    const b = sampleBatch();
    const first = await publishBatch(bus.js, b);
    const again = await publishBatch(bus.js, b);
    expect(first).toMatchObject({ stream: 'ETCD_METRICS', duplicate: false, attempts: 1 });
    expect(again).toMatchObject({ stream: 'ETCD_METRICS', duplicate: true, seq: first.seq });
    expect(await streamMessages(bus, STREAMS.metrics)).toBe(1);
    // Another window of the same cluster and category is another batch.
    expect((await publishBatch(bus.js, sampleBatch({}, 1))).duplicate).toBe(false);
    expect(await streamMessages(bus, STREAMS.metrics)).toBe(2);
  });

  it('deduplicates a finding transition by <id>:<state> and publishes reports', async () => {
    const e = sampleFindingEvent();
    await publishFindingEvent(bus.js, e);
    expect((await publishFindingEvent(bus.js, e)).duplicate).toBe(true);
    expect((await publishFindingEvent(bus.js, { ...e, state: 'resolved' })).duplicate).toBe(false);
    expect(await streamMessages(bus, STREAMS.findings)).toBe(2);
    const r = await publishReport(bus.js, buildFixtureReport());
    expect(r).toMatchObject({ stream: 'ETCD_REPORTS', duplicate: false });
  });
});

describe('findings subscribers', () => {
  it('a late subscriber replays the last hour, then follows live; a plain subscription sees live events', async () => {
    const live: string[] = [];
    const sub = bus.nc.subscribe(findingsFilter());
    void (async () => {
      for await (const m of sub) live.push(m.subject);
    })();
    for (let i = 0; i < 5; i++) await publishFindingEvent(bus.js, sampleFindingEvent({ cluster: i % 2 ? 'prod.west' : 'prod-east' }, i));
    // Subscribed after the fact, from an hour ago.
    const late = await connectBus({ servers: srv.url });
    extra.push(late);
    const ac = new AbortController();
    const seen: FindingEvent[] = [];
    const following = (async () => {
      for await (const { value } of followStream({ js: late.js, stream: STREAMS.findings, from: new Date(Date.now() - 3_600_000), signal: ac.signal })) {
        seen.push(value);
        if (seen.length === 6) ac.abort();
      }
    })();
    await until('replay', () => seen.length === 5);
    await publishFindingEvent(bus.js, sampleFindingEvent({ state: 'resolved' }, 0));
    await following;
    expect(seen.map((e) => `${e.id}:${e.state}`)).toEqual([0, 1, 2, 3, 4].map((i) => `${sampleFindingEvent({}, i).id}:firing`).concat(`${sampleFindingEvent({}, 0).id}:resolved`));
    expect(seen[1]!.cluster).toBe('prod.west');
    // A filtered follower from 'new' sees only what comes after it.
    const critical: FindingEvent[] = [];
    const ac2 = new AbortController();
    const f2 = (async () => {
      for await (const { value } of followStream({ js: late.js, stream: STREAMS.findings, filter: findingsFilter({ severity: 'critical' }), from: 'new', signal: ac2.signal })) {
        critical.push(value);
        ac2.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const crit = sampleFindingEvent({}, 9);
    await publishFindingEvent(bus.js, sampleFindingEvent({}, 8));
    await publishFindingEvent(bus.js, { ...crit, finding: { ...crit.finding, severity: 'critical' } });
    await f2;
    expect(critical.map((e) => e.finding.severity)).toEqual(['critical']);
    await until('core subscription', () => live.length === 8);
    expect(live[1]).toMatch(/^etcd\.findings\.prod_west__[0-9a-f]{8}\.warning\.disk$/);
    sub.unsubscribe();
  });
});

describe('consumeDurable', () => {
  const consumers: DurableConsumer[] = [];
  afterEach(async () => {
    for (const c of consumers.splice(0)) await c.stop();
  });

  it('dead-letters 1000 malformed messages with their reasons and keeps consuming', async () => {
    const handled: string[] = [];
    const c = consumeDurable({
      js: bus.js,
      stream: STREAMS.metrics,
      durable: 'analyzer',
      consumer: { ackWaitMs: 30_000, maxDeliver: 5 },
      handler: async (b: MetricBatch) => void handled.push(b.id),
    });
    consumers.push(c);
    const subject = 'etcd.metrics.prod-east.walFsync';
    const valid = sampleBatch();
    const bad = (i: number): Uint8Array | string => {
      switch (i % 5) {
        case 0:
          return 'not json at all';
        case 1:
          return JSON.stringify({ ...valid, id: `x${i}`, schemaVersion: 99 });
        case 2:
          return new Uint8Array([0xff, 0x00, i % 256, 0xfe]);
        case 3:
          return JSON.stringify({ ...valid, id: `x${i}`, series: [{ metric: 'm', points: 'oops' }] });
        default:
          return '';
      }
    };
    for (let i = 0; i < 1000; i++) {
      await bus.js.publish(subject, bad(i));
      if (i % 100 === 50) await publishBatch(bus.js, sampleBatch({}, i));
    }
    await until('all consumed', () => c.stats.invalid === 1000 && c.stats.handled === 10, 60_000);
    expect(c.stats).toMatchObject({ invalid: 1000, handled: 10, deadLettered: 1000, failed: 0 });
    expect(handled).toHaveLength(10);
    const dlq = await readAll<DlqMessage>(bus, 'ETCD_DLQ', 1000);
    expect(dlq).toHaveLength(1000);
    expect(new Set(dlq.map((d) => d.seq)).size).toBe(1000);
    for (const d of dlq) {
      expect(d).toMatchObject({ source: 'metrics', subject, stream: 'ETCD_METRICS', deliveries: 1 });
      expect(d.reason).toMatch(/^MetricBatch: /);
    }
    const reasons = dlq.map((d) => d.reason);
    expect(reasons.some((r) => r.includes('not JSON'))).toBe(true);
    expect(reasons.some((r) => r.includes('schemaVersion'))).toBe(true);
    expect(reasons.some((r) => r.includes('not UTF-8'))).toBe(true);
    expect(reasons.some((r) => r.includes('series.0.points'))).toBe(true);
    expect(reasons.some((r) => r.includes('empty payload'))).toBe(true);
    expect(dlq.find((d) => d.payload.encoding === 'base64')).toBeDefined();
    // Every DLQ record is itself valid on the wire.
    const raw = await bus.jsm.streams.getMessage(STREAMS.dlq, { seq: 1 });
    expect(DlqMessageCodec.decode(raw!.data).ok).toBe(true);
    // Nothing is left pending on the consumer: the bad ones were terminated, the good ones acked.
    const info = await bus.jsm.consumers.info(STREAMS.metrics, 'analyzer');
    expect(info.num_ack_pending + info.num_pending).toBe(0);
  });

  it('redelivers after a handler failure and acks only after the handler returned', async () => {
    const calls: { id: string; deliveries: number }[] = [];
    let failOnce = true;
    const c = consumeDurable({
      js: bus.js,
      stream: STREAMS.metrics,
      durable: 'analyzer',
      consumer: { ackWaitMs: 30_000, maxDeliver: 5 },
      nakDelay: { initialDelayMs: 100, maxDelayMs: 200 },
      handler: async (b: MetricBatch, meta: MessageMeta) => {
        calls.push({ id: b.id, deliveries: meta.deliveries });
        if (b.id === sampleBatch({}, 1).id && failOnce) {
          failOnce = false;
          throw new Error('storage unavailable');
        }
      },
    });
    consumers.push(c);
    for (let i = 0; i < 3; i++) await publishBatch(bus.js, sampleBatch({}, i));
    await until('redelivered', () => c.stats.handled === 3);
    expect(c.stats).toMatchObject({ handled: 3, failed: 1, deadLettered: 0 });
    expect(calls.filter((x) => x.id === sampleBatch({}, 1).id).map((x) => x.deliveries)).toEqual([1, 2]);
    const info = await bus.jsm.consumers.info(STREAMS.metrics, 'analyzer');
    expect(info.ack_floor.stream_seq).toBe(3);
  });

  it('dead-letters a message whose handler fails on its last allowed delivery', async () => {
    const c = consumeDurable({
      js: bus.js,
      stream: STREAMS.metrics,
      durable: 'analyzer',
      consumer: { ackWaitMs: 30_000, maxDeliver: 3 },
      nakDelay: { initialDelayMs: 50, maxDelayMs: 100 },
      handler: async () => {
        throw new Error('row rejected by storage');
      },
    });
    consumers.push(c);
    await publishBatch(bus.js, sampleBatch());
    await until('dead-lettered', () => c.stats.deadLettered === 1);
    const [d] = await readAll<DlqMessage>(bus, 'ETCD_DLQ', 1);
    expect(d).toMatchObject({ source: 'metrics', deliveries: 3, reason: 'handler failed on delivery 3 of 3: row rejected by storage' });
    expect(c.stats.failed).toBe(3);
  });

  it('two consumers on one durable split the work and process nothing twice', async () => {
    const other = await connectBus({ servers: srv.url });
    extra.push(other);
    const seen = new Map<string, number>();
    const by = [0, 0];
    const make = (b: Bus, who: number): DurableConsumer =>
      consumeDurable({
        js: b.js,
        stream: STREAMS.metrics,
        durable: 'analyzer',
        consumer: { ackWaitMs: 30_000, maxDeliver: 5, filterSubject: metricsFilter({ cluster: 'prod-east' }) },
        batch: 5,
        handler: async (batch: MetricBatch) => {
          seen.set(batch.id, (seen.get(batch.id) ?? 0) + 1);
          by[who]!++;
          await new Promise((r) => setTimeout(r, 2));
        },
      });
    consumers.push(make(bus, 0), make(other, 1));
    const n = 400;
    await Promise.all(Array.from({ length: n }, (_, i) => publishBatch(bus.js, sampleBatch({}, i))));
    await until('all handled', () => by[0]! + by[1]! >= n, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.size).toBe(n);
    expect([...seen.values()].every((v) => v === 1)).toBe(true);
    expect(by[0]! + by[1]!).toBe(n);
    expect(by[0]).toBeGreaterThan(n / 10);
    expect(by[1]).toBeGreaterThan(n / 10);
  });

  it('re-creates a consumer that was deleted under it and stops cleanly on abort', async () => {
    const ac = new AbortController();
    const ids: string[] = [];
    const c = consumeDurable({
      js: bus.js,
      stream: STREAMS.metrics,
      durable: 'analyzer',
      signal: ac.signal,
      consumer: { ackWaitMs: 30_000, maxDeliver: 5 },
      recreate: { initialDelayMs: 100, maxDelayMs: 300 },
      handler: async (b: MetricBatch) => void ids.push(b.id),
    });
    await publishBatch(bus.js, sampleBatch({}, 0));
    await until('first', () => ids.length === 1);
    await bus.jsm.consumers.delete(STREAMS.metrics, 'analyzer');
    await new Promise((r) => setTimeout(r, 500));
    await publishBatch(bus.js, sampleBatch({}, 1));
    // The re-created consumer starts over (deliver all): batch 0 comes again, then batch 1.
    await until('after re-creation', () => ids.includes(sampleBatch({}, 1).id), 30_000);
    expect(c.stats.restarts).toBeGreaterThanOrEqual(1);
    ac.abort();
    await c.done;
  });
});
