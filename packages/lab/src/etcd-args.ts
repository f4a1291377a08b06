import { join } from 'node:path';
import type { PortLayout } from './ports.ts';
import { url } from './ports.ts';

/** Short timeouts so elections, faults and heals take seconds, not minutes. */
export const HEARTBEAT_MS = 100;
export const ELECTION_TIMEOUT_MS = 1000;

export interface MemberPlan {
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly advertisedPeerUrl: string;
  readonly metricsUrl: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly outFile: string;
  /** Flags only, without the binary. */
  readonly flags: readonly string[];
}

export interface EtcdPlanOptions {
  readonly dir: string;
  readonly layout: PortLayout;
  readonly clusterToken: string;
  readonly quotaBytes?: number;
}

export const memberName = (i: number): string => `etcd-${i}`;

/**
 * The command line of every member. Only flags that exist from etcd 3.4 to 3.6. Peers are
 * advertised through the per-member proxy so peer latency can be switched on later; no
 * --auto-compaction-retention, so the fragmentation fault is not undone behind its back.
 */
export function planMembers(opts: EtcdPlanOptions): MemberPlan[] {
  const names = opts.layout.members.map((_, i) => memberName(i));
  const initialCluster = opts.layout.members.map((m, i) => `${names[i]}=${url(m.proxy)}`).join(',');
  return opts.layout.members.map((ports, i) => {
    const name = names[i] as string;
    const dataDir = join(opts.dir, name, 'data');
    const logFile = join(opts.dir, `${name}.log`);
    const flags = [
      `--name=${name}`,
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${url(ports.client)}`,
      `--advertise-client-urls=${url(ports.client)}`,
      `--listen-peer-urls=${url(ports.peer)}`,
      `--initial-advertise-peer-urls=${url(ports.proxy)}`,
      `--listen-metrics-urls=${url(ports.metrics)}`,
      `--initial-cluster=${initialCluster}`,
      '--initial-cluster-state=new',
      `--initial-cluster-token=${opts.clusterToken}`,
      `--heartbeat-interval=${HEARTBEAT_MS}`,
      `--election-timeout=${ELECTION_TIMEOUT_MS}`,
      '--metrics=extensive',
      '--logger=zap',
      `--log-outputs=${logFile}`,
      ...(opts.quotaBytes ? [`--quota-backend-bytes=${opts.quotaBytes}`] : []),
    ];
    return {
      name,
      clientUrl: url(ports.client),
      peerUrl: url(ports.peer),
      advertisedPeerUrl: url(ports.proxy),
      metricsUrl: url(ports.metrics),
      dataDir,
      logFile,
      outFile: join(opts.dir, `${name}.out`),
      flags,
    };
  });
}
