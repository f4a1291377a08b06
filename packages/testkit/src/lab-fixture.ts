import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labDown, labUp, type LabState } from '@etcd-analyzer/lab';

export interface LabFixture {
  readonly dir: string;
  readonly state: LabState;
  down(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** The first port the kernel hands out to outgoing connections (Linux default 32768). */
function ephemeralStart(): number {
  try {
    const n = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(n) && n > 11_000 ? n : 32768;
  } catch {
    return 32768;
  }
}

/**
 * A base port whose 100-port block is free right now, between common service ports and the
 * ephemeral range: a port free at check time in the ephemeral range can be taken by any outgoing
 * connection (a Prometheus scrape) before etcd binds it.
 */
export async function freeBasePort(): Promise<number> {
  const blocks = Math.floor((ephemeralStart() - 10_000) / 100) - 1;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * blocks) * 100;
    const checks = await Promise.all(Array.from({ length: 100 }, (_, i) => portFree(base + i)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error('no free block of 100 loopback ports found');
}

/**
 * Where test labs keep their data: tmpfs when the machine has one. On a shared CI disk a healthy
 * member's WAL fsync p99 wanders around the 10 ms target, so "healthy" would depend on the
 * neighbours; the faults delay the fsync syscall itself (strace), so they work the same on tmpfs.
 */
function labRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** Starts a real lab in a temporary directory; `down()` stops it and removes the directory. */
export async function withLab(opts: { members?: number; load?: number; quotaBytes?: number } = {}): Promise<LabFixture> {
  const dir = mkdtempSync(join(labRoot(), 'etcd-lab-'));
  const basePort = await freeBasePort();
  const state = await labUp({ dir, basePort, members: opts.members ?? 3, load: opts.load ?? 50, ...(opts.quotaBytes ? { quotaBytes: opts.quotaBytes } : {}) });
  return {
    dir,
    state,
    async down() {
      await labDown({ dir });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
