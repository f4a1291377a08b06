import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labFault, labHeal, labStatus, labUp, readLabState, type LabState } from '../src/index.ts';
import { isPortFree, portLayout, portUses } from '../src/ports.ts';
import { isOurs } from '../src/processes.ts';
import { queryVector } from '../src/prometheus-api.ts';

// One real lab for the whole file: 3 etcd 3.x members behind their peer proxies, Prometheus
// (5 s scrape), node_exporter and a steady write load. Phases run in order.

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value, or fails naming what it waited for and the last value seen. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(2000);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** A base port whose whole block of 100 is free now, from 24000 up. */
async function freeBlock(from: number): Promise<number> {
  for (let base = from; base < 29000; base += 100) {
    const free = await Promise.all(portUses(portLayout(base, 3)).map((u) => isPortFree(u.port)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free block of lab ports between 24000 and 29000');
}

/** Pids of live processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return !/\) Z /.test(stat) && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const byPod = async (state: LabState, query: string): Promise<Map<string, number>> => new Map((await queryVector(state.prometheusUrl, query)).map((s) => [s.labels.pod ?? '', s.value]));
const FSYNC_P99 = 'histogram_quantile(0.99, rate(etcd_disk_wal_fsync_duration_seconds_bucket{job="etcd"}[30s]))';

let dir: string;
let basePort: number;
let state: LabState;

beforeAll(async () => {
  // tmpfs when there is one, as the testkit does: a shared CI disk makes healthy fsyncs wander.
  dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'etcd-lab-int-'));
  basePort = await freeBlock(24000 + 100 * Math.floor(Math.random() * 20));
});

afterAll(async () => {
  await labDown({ dir }).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('lab end to end', () => {
  it('refuses busy ports before starting anything, naming the port and its purpose', async () => {
    const busyDir = mkdtempSync(join(tmpdir(), 'etcd-lab-busy-'));
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(basePort + 12, '127.0.0.1', r));
    try {
      await expect(labUp({ dir: busyDir, basePort, members: 3 })).rejects.toThrow(`${basePort + 12} (etcd-1 metrics)`);
      expect(existsSync(join(busyDir, 'lab.json'))).toBe(false);
      expect(processesMentioning(busyDir)).toEqual([]);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
      rmSync(busyDir, { recursive: true, force: true });
    }
  });

  it('starts 3 members that Prometheus scrapes with OpenShift labels', async () => {
    state = await labUp({ dir, basePort, members: 3, load: 100 });
    expect(state.members.map((m) => m.name)).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
    expect(readLabState(dir).members.map((m) => m.pid)).toEqual(state.members.map((m) => m.pid));
    const up = await queryVector(state.prometheusUrl, 'up{job="etcd"}');
    expect(up.map((s) => [s.labels.pod, s.labels.namespace, s.labels.node, s.value]).sort()).toEqual([
      ['etcd-0', 'openshift-etcd', 'lab-node', 1],
      ['etcd-1', 'openshift-etcd', 'lab-node', 1],
      ['etcd-2', 'openshift-etcd', 'lab-node', 1],
    ]);
    const node = await queryVector(state.prometheusUrl, 'up{job="node-exporter"}');
    expect(node.map((s) => [s.labels.instance, s.value])).toEqual([['lab-node', 1]]);
    const status = await labStatus({ dir });
    expect(status.members.every((m) => m.running)).toBe(true);
    expect(status.leader).toMatch(/^etcd-[012]$/);
  });

  it('slow-disk on a follower raises its WAL fsync p99 well above 10 ms while another member stays low', async () => {
    const leader = (await labStatus({ dir })).leader;
    const fault = await labFault('slow-disk', { dir, delay: '40ms' });
    const slow = fault.member as string;
    expect(slow).not.toBe(leader);
    expect(readLabState(dir).faults).toEqual([expect.objectContaining({ kind: 'slow-disk', member: slow })]);
    // A fresh lab's first fsyncs are slow everywhere, and a member's p99 appears only once its
    // rate window has samples: wait for the slow member to stand out while another is low again.
    const seen = await eventually(
      `WAL fsync p99 of ${slow} above 20 ms while another member is below 10 ms`,
      async () => {
        const p99 = await byPod(state, FSYNC_P99);
        const others = [...p99].filter(([pod]) => pod !== slow).map(([, v]) => v);
        return (p99.get(slow) ?? 0) > 0.02 && others.some((v) => v < 0.01) ? p99 : undefined;
      },
      90_000,
    );
    const others = [...seen].filter(([pod]) => pod !== slow).map(([, v]) => v);
    expect(Math.min(...others), `p99 of the other members: ${others.join(', ')}`).toBeLessThan(0.01);

    const strace = fault.processes[0]!;
    await labHeal({ dir });
    expect(readLabState(dir).faults).toEqual([]);
    expect(isOurs(strace), 'strace still running after heal').toBe(false);
    const member = readLabState(dir).members.find((m) => m.name === slow)!;
    expect(readFileSync(`/proc/${member.pid}/status`, 'utf8')).toMatch(/^TracerPid:\s*0$/m);
  });

  it('member-down makes that member\'s up go to 0, and heal brings it back', async () => {
    const fault = await labFault('member-down', { dir, member: 'etcd-2' });
    expect(fault.member).toBe('etcd-2');
    expect((await labStatus({ dir })).members.find((m) => m.name === 'etcd-2')?.running).toBe(false);
    await eventually('up{pod="etcd-2"} == 0', async () => ((await byPod(state, 'up{job="etcd"}')).get('etcd-2') === 0 ? true : undefined), 30_000);

    const oldPid = readLabState(dir).members.find((m) => m.name === 'etcd-2')!.pid;
    await labHeal({ dir });
    const restarted = readLabState(dir).members.find((m) => m.name === 'etcd-2')!;
    expect(restarted.pid).not.toBe(oldPid);
    await eventually('up{pod="etcd-2"} == 1', async () => ((await byPod(state, 'up{job="etcd"}')).get('etcd-2') === 1 ? true : undefined), 30_000);
    const status = await labStatus({ dir });
    expect(status.members.map((m) => [m.name, m.running, m.error])).toEqual([
      ['etcd-0', true, null],
      ['etcd-1', true, null],
      ['etcd-2', true, null],
    ]);
  });

  it('down stops every process it started and leaves none running; a second down does nothing', async () => {
    const before = readLabState(dir);
    const pids = [...before.members.map((m) => m.pid), ...before.helpers.map((h) => h.pid)];
    const { stopped } = await labDown({ dir });
    expect(stopped).toHaveLength(pids.length);
    expect(processesMentioning(dir)).toEqual([]);
    for (const pid of pids) expect(existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir), `pid ${pid}`).toBe(false);
    expect((await labDown({ dir })).stopped).toEqual([]);
  });
});
