import { createServer } from 'node:net';
import { LabError } from '@etcd-analyzer/shared/errors';

/**
 * Every lab port derives from one base port and stays inside a block of 100, so a caller can
 * reserve one block (the testkit picks free blocks of 100):
 *
 *   member i (0..8): client  base+10i     peer  base+10i+1
 *                    metrics base+10i+2   peer proxy base+10i+3 (the advertised peer URL)
 *   prometheus      base+90
 *   node_exporter   base+91
 */
export const MAX_MEMBERS = 9;
export const PORT_BLOCK = 100;
export const LAB_HOST = '127.0.0.1';

export interface MemberPorts {
  readonly client: number;
  readonly peer: number;
  readonly metrics: number;
  readonly proxy: number;
}

export interface PortLayout {
  readonly members: readonly MemberPorts[];
  readonly prometheus: number;
  readonly nodeExporter: number;
}

export interface PortUse {
  readonly port: number;
  readonly purpose: string;
}

export function portLayout(basePort: number, members: number): PortLayout {
  if (!Number.isInteger(members) || members < 1 || members > MAX_MEMBERS) throw new LabError(`members must be an integer from 1 to ${MAX_MEMBERS}, got ${members}`);
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + PORT_BLOCK - 1 > 65535) {
    throw new LabError(`base port must be an integer from 1024 to ${65536 - PORT_BLOCK} (the lab uses ${PORT_BLOCK} ports from it), got ${basePort}`);
  }
  return {
    members: Array.from({ length: members }, (_, i) => ({ client: basePort + 10 * i, peer: basePort + 10 * i + 1, metrics: basePort + 10 * i + 2, proxy: basePort + 10 * i + 3 })),
    prometheus: basePort + 90,
    nodeExporter: basePort + 91,
  };
}

/** Each port with what it is for, in the words an error message needs. */
export function portUses(layout: PortLayout): PortUse[] {
  return [
    ...layout.members.flatMap((m, i) => [
      { port: m.client, purpose: `etcd-${i} client` },
      { port: m.peer, purpose: `etcd-${i} peer` },
      { port: m.metrics, purpose: `etcd-${i} metrics` },
      { port: m.proxy, purpose: `etcd-${i} peer proxy` },
    ]),
    { port: layout.prometheus, purpose: 'prometheus' },
    { port: layout.nodeExporter, purpose: 'node_exporter' },
  ];
}

export function isPortFree(port: number, host = LAB_HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** Fails with a LabError naming every busy port and its purpose; run before anything starts. */
export async function assertPortsFree(uses: readonly PortUse[]): Promise<void> {
  const busy: PortUse[] = [];
  for (const u of uses) if (!(await isPortFree(u.port))) busy.push(u);
  if (busy.length) {
    const list = busy.map((b) => `${b.port} (${b.purpose})`).join(', ');
    throw new LabError(`port${busy.length > 1 ? 's' : ''} already in use on ${LAB_HOST}: ${list}; choose another --base-port`, { port: busy[0]?.port, purpose: busy[0]?.purpose });
  }
}

export const url = (port: number): string => `http://${LAB_HOST}:${port}`;
