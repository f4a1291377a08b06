import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Kvm } from '@nats-io/kv';
import { z } from 'zod';
// testkit depends on shared; importing its file directly keeps the package graph acyclic.
import { startNats, type NatsServer } from '../../testkit/src/nats-server.ts';
import { closeBus, connectBus, openLeases, openTargets, targetKey, TARGETS_BUCKET, type Bus, type Lease, type LeaseResult, type Leases, type TargetEvent } from '../src/bus/index.ts';

// Leases shared by several collector instances (each its own NATS connection, one of them a
// separate process that is SIGKILLed), and the targets bucket watched at run time.

let srv: NatsServer;
const buses: Bus[] = [];
const TTL = 2_000;

async function newBus(): Promise<Bus> {
  const b = await connectBus({ servers: srv.url });
  buses.push(b);
  return b;
}

beforeEach(async () => {
  srv = await startNats();
});

afterEach(async () => {
  for (const b of buses.splice(0)) await closeBus(b);
  await srv.stop();
});

describe('leases', () => {
  it('of many owners racing for a key, exactly one gets it; the holder renews, the others see it held', async () => {
    const instances: Leases[] = [];
    for (let i = 0; i < 5; i++) instances.push(await openLeases((await newBus()).js, { ttlMs: TTL }));
    const keys = Array.from({ length: 10 }, (_, k) => `cluster-${k}`);
    for (const key of keys) {
      const results = await Promise.all(instances.map((l, i) => l.acquire(key, `owner-${i}`)));
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const winner = (winners[0] as { lease: Lease }).lease;
      for (const r of results) if (!r.ok) expect(r.holder).toBe(winner.owner);
      expect(await instances[0]!.owner(key)).toBe(winner.owner);
    }
    // The holder renews (a new revision each time); another owner is refused while it does.
    const first = await instances[0]!.acquire('solo', 'a');
    expect(first.ok).toBe(true);
    let lease = (first as { lease: Lease }).lease;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, TTL / 3));
      const r = await instances[0]!.renew(lease);
      expect(r.ok).toBe(true);
      lease = (r as { lease: Lease }).lease;
      expect(await instances[1]!.acquire('solo', 'b')).toMatchObject({ ok: false, holder: 'a', reason: 'held' });
    }
    expect(lease.acquiredAt).toBe((first as { lease: Lease }).lease.acquiredAt);
    // A stale lease (an old revision) cannot be renewed or released.
    const stale = (first as { lease: Lease }).lease;
    expect(await instances[0]!.renew(stale)).toMatchObject({ ok: false, reason: 'lost' });
    expect(await instances[0]!.release(stale)).toBe(false);
    // Released: the next owner gets it at once.
    expect(await instances[0]!.release(lease)).toBe(true);
    expect(await instances[0]!.owner('solo')).toBeNull();
    expect(await instances[1]!.acquire('solo', 'b')).toMatchObject({ ok: true });
  });

  it('two owners never hold one key while they keep competing for it', async () => {
    const owners = await Promise.all(['a', 'b', 'c'].map(async (name) => ({ name, leases: await openLeases((await newBus()).js, { ttlMs: TTL }) })));
    const holding: { name: string; from: number; until: number }[] = [];
    const stopAt = Date.now() + 6_000;
    await Promise.all(
      owners.map(async ({ name, leases }) => {
        let lease: Lease | null = null;
        let mine: { name: string; from: number; until: number } | null = null;
        let stalled = false;
        while (Date.now() < stopAt) {
          const r: LeaseResult = lease ? await leases.renew(lease) : await leases.acquire('contested', name);
          if (r.ok) {
            if (!lease) holding.push((mine = { name, from: Date.now(), until: r.lease.validUntil }));
            else mine!.until = r.lease.validUntil;
            lease = r.lease;
            // Each owner stops renewing once, right after it first got the key, as a holder
            // stalled past its TTL would: the key must change hands without overlap.
            if (!stalled) {
              stalled = true;
              await new Promise((res) => setTimeout(res, TTL + 500));
            }
          } else lease = null;
          await new Promise((res) => setTimeout(res, lease ? TTL / 3 : 100));
        }
        if (lease && mine) mine.until = Math.min(mine.until, Date.now());
      }),
    );
    // The stalls handed the key over: there were takeovers to check.
    expect(new Set(holding.map((h) => h.name)).size).toBeGreaterThanOrEqual(2);
    const sorted = [...holding].sort((x, y) => x.from - y.from);
    for (let k = 1; k < sorted.length; k++) expect(sorted[k]!.from).toBeGreaterThanOrEqual(sorted[k - 1]!.until - 50);
  });

  it('when the holder process is killed, another instance takes the key over after the TTL', async () => {
    const script = fileURLToPath(new URL('../src/bus/index.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        '--input-type=module',
        '-e',
        `import { connectBus, openLeases } from ${JSON.stringify(script)};
         const bus = await connectBus({ servers: ${JSON.stringify(srv.url)} });
         const leases = await openLeases(bus.js, { ttlMs: ${TTL} });
         let r = await leases.acquire('target-1', 'collector-child');
         if (!r.ok) { console.log('refused'); process.exit(1); }
         console.log('acquired');
         setInterval(async () => { r = await leases.renew(r.lease); if (!r.ok) console.log('lost'); }, ${TTL / 3});`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const out = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    expect(out).toBe('acquired');
    const leases = await openLeases((await newBus()).js, { ttlMs: TTL });
    // While the child renews, the key stays its own well past the TTL.
    const watchUntil = Date.now() + TTL * 2;
    while (Date.now() < watchUntil) {
      expect(await leases.acquire('target-1', 'collector-2')).toMatchObject({ ok: false, holder: 'collector-child' });
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGKILL');
    const killedAt = Date.now();
    let took = -1;
    while (Date.now() - killedAt < TTL * 5) {
      const r = await leases.acquire('target-1', 'collector-2');
      if (r.ok) {
        took = Date.now() - killedAt;
        break;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    // Its last renewal was at most TTL/3 before the kill: the key frees between 2/3 TTL and TTL after it.
    expect(took).toBeGreaterThan(TTL / 2);
    expect(took).toBeLessThan(TTL + 2_500);
    expect(await leases.owner('target-1')).toBe('collector-2');
  });

  it('uses only a bucket-level TTL (nats-server 2.9): the bucket is a stream with max_age', async () => {
    const b = await newBus();
    await openLeases(b.js, { ttlMs: TTL });
    const info = await b.jsm.streams.info('KV_ETCD_LEASES');
    expect(info.config).toMatchObject({ max_age: TTL * 1e6, max_msgs_per_subject: 1 });
    expect(info.config.allow_msg_ttl).toBeFalsy();
    // Reopening with another TTL updates the bucket in place.
    await openLeases(b.js, { ttlMs: 5_000 });
    expect((await b.jsm.streams.info('KV_ETCD_LEASES')).config.max_age).toBe(5_000 * 1e6);
  });
});

describe('targets bucket', () => {
  const TargetSchema = z.object({ endpoints: z.array(z.string().url()).min(1), intervalSeconds: z.number().int().positive() });

  it('stores validated targets and reports adds, removes and bad values at run time', async () => {
    const b = await newBus();
    const targets = await openTargets(b.js, TargetSchema);
    await targets.put('prod-east', { endpoints: ['https://10.0.0.1:2379'], intervalSeconds: 30 });
    await targets.put('ocp.prod', { endpoints: ['https://10.0.0.2:2379'], intervalSeconds: 10 });
    await expect(targets.put('bad', { endpoints: [], intervalSeconds: 30 })).rejects.toThrow(/endpoints/);
    expect(await targets.get('ocp.prod')).toEqual({ endpoints: ['https://10.0.0.2:2379'], intervalSeconds: 10 });

    const events: TargetEvent<z.infer<typeof TargetSchema>>[] = [];
    const ac = new AbortController();
    const watching = (async () => {
      for await (const e of targets.watch({ signal: ac.signal })) events.push(e);
    })();
    const until = async (n: number): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (events.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} events, got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await until(2);
    expect(events.map((e) => e.type === 'put' && e.id).sort()).toEqual(['ocp.prod', 'prod-east']);

    await targets.put('staging', { endpoints: ['https://10.0.0.3:2379'], intervalSeconds: 30 });
    await until(3);
    expect(events[2]).toMatchObject({ type: 'put', id: 'staging', key: 'staging', initial: false });
    await targets.delete('prod-east');
    await until(4);
    expect(events[3]).toMatchObject({ type: 'delete', key: 'prod-east' });
    // Someone writes a bad value by hand (`nats kv put ETCD_TARGETS broken '{…}'`).
    const raw = await new Kvm(b.js).open(TARGETS_BUCKET);
    await raw.put('broken', JSON.stringify({ schemaVersion: 1, id: 'broken', updatedAt: 'now', target: { endpoints: ['not a url'], intervalSeconds: 30 } }));
    await until(5);
    expect(events[4]).toMatchObject({ type: 'invalid', key: 'broken', reason: expect.stringMatching(/target\.endpoints\.0/) });
    ac.abort();
    await watching;

    const { targets: all, invalid } = await targets.list();
    expect([...all.keys()].sort()).toEqual(['ocp.prod', 'staging']);
    expect(invalid).toEqual([{ key: 'broken', reason: expect.stringMatching(/target\.endpoints\.0/) }]);
    expect(targetKey('ocp.prod')).toMatch(/^ocp_prod__[0-9a-f]{8}$/);
  });
});
