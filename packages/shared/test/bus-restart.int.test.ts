import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// testkit depends on shared; importing its file directly keeps the package graph acyclic.
import { startNats, type NatsServer } from '../../testkit/src/nats-server.ts';
import { batchMessage, closeBus, connectBus, consumeDurable, createOutbox, ensureStreams, publishBatch, STREAMS, type Bus, type PublishResult } from '../src/bus/index.ts';
import { sampleBatch } from '../src/bus/fixtures.ts';
import type { MetricBatch } from '../src/schema/index.ts';

// The nats-server restart drill: the server goes away (SIGTERM or SIGKILL) while batches are
// published, comes back on the same port with the same store, and not one batch is lost or doubled.

let srv: NatsServer;
let bus: Bus;

const fast = { requestTimeoutMs: 1_000, reconnect: { initialDelayMs: 100, maxDelayMs: 500, jitterMs: 50 } };

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function storedIds(b: Bus): Promise<string[]> {
  const info = await b.jsm.streams.info(STREAMS.metrics);
  const ids: string[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const m = await b.jsm.streams.getMessage(STREAMS.metrics, { seq });
    if (m) ids.push((m.json() as MetricBatch).id);
  }
  return ids;
}

beforeEach(async () => {
  srv = await startNats();
  bus = await connectBus({ servers: srv.url, ...fast });
  await ensureStreams(bus.jsm);
});

afterEach(async () => {
  await closeBus(bus, { timeoutMs: 2_000 });
  await srv.stop();
});

describe('nats-server restart drill', () => {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`publishBatch retries across a ${signal} restart: 0 lost, 0 doubled`, async () => {
      const n = 150;
      const results: Promise<PublishResult>[] = [];
      const publishing = (async () => {
        for (let i = 0; i < n; i++) {
          results.push(publishBatch(bus.js, sampleBatch({}, i), { retry: { deadlineMs: 60_000, initialDelayMs: 100, maxDelayMs: 500 } }));
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      await new Promise((r) => setTimeout(r, 300));
      await srv.restart({ signal, downMs: 2_000 });
      await publishing;
      const settled = await Promise.allSettled(results);
      expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
      const ids = await storedIds(bus);
      expect(ids).toHaveLength(n);
      expect(new Set(ids).size).toBe(n);
      const retried = settled.filter((r) => r.status === 'fulfilled' && r.value.attempts > 1).length;
      expect(retried).toBeGreaterThan(0);
    });
  }

  it('the outbox holds batches while the server is down and publishes them all when it is back', async () => {
    const outbox = createOutbox({ js: bus.js, retry: { initialDelayMs: 100, maxDelayMs: 500 }, timeoutMs: 1_000 });
    const n = 300;
    let maxQueued = 0;
    const producing = (async () => {
      for (let i = 0; i < n; i++) {
        outbox.enqueue(batchMessage(sampleBatch({}, i)));
        maxQueued = Math.max(maxQueued, outbox.stats().queued);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    await srv.restart({ signal: 'SIGKILL', downMs: 3_000 });
    await producing;
    expect(await outbox.flush(30_000)).toBe(true);
    const stats = await outbox.close();
    expect(stats).toMatchObject({ queued: 0, dropped: 0, failed: 0 });
    expect(stats.published).toBe(n);
    expect(stats.retries).toBeGreaterThan(0);
    expect(maxQueued).toBeGreaterThan(50);
    const ids = await storedIds(bus);
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
  });

  it('a full outbox drops the oldest and counts it', async () => {
    await srv.down();
    const outbox = createOutbox({ js: bus.js, maxMessages: 20, retry: { initialDelayMs: 100, maxDelayMs: 200 }, timeoutMs: 500 });
    for (let i = 0; i < 50; i++) outbox.enqueue(batchMessage(sampleBatch({}, i)));
    expect(outbox.stats()).toMatchObject({ queued: 20, dropped: 30 });
    await srv.up();
    expect(await outbox.flush(30_000)).toBe(true);
    const stats = await outbox.close();
    expect(stats).toMatchObject({ published: 20, dropped: 30, failed: 0 });
    const ids = await storedIds(bus);
    // The in-flight head survives, then the newest.
    expect(ids).toHaveLength(20);
    expect(ids).toContain(sampleBatch({}, 49).id);
  });

  it('a durable consumer carries on after the server restarts: every batch handled, once each', async () => {
    const handled = new Map<string, number>();
    const c = consumeDurable({
      js: bus.js,
      stream: STREAMS.metrics,
      durable: 'analyzer',
      consumer: { ackWaitMs: 5_000, maxDeliver: -1 },
      recreate: { initialDelayMs: 100, maxDelayMs: 1_000 },
      handler: async (b: MetricBatch) => void handled.set(b.id, (handled.get(b.id) ?? 0) + 1),
    });
    for (let i = 0; i < 50; i++) await publishBatch(bus.js, sampleBatch({}, i));
    await until('first half', () => handled.size === 50);
    await srv.restart({ signal: 'SIGTERM', downMs: 1_000 });
    for (let i = 50; i < 100; i++) await publishBatch(bus.js, sampleBatch({}, i), { retry: { deadlineMs: 60_000 } });
    await until('second half', () => handled.size === 100, 60_000);
    await c.stop();
    expect([...handled.values()].every((v) => v === 1)).toBe(true);
  });
});
