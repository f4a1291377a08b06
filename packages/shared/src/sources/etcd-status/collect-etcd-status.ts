import grpc from '@grpc/grpc-js';
import { ConfigError, describeError } from '../../errors/index.ts';
import { EtcdStatusSchema, type EtcdMember, type EtcdStatus, type Problem } from '../../schema/index.ts';
import { parseEndpoint } from './endpoint.ts';
import { connectEtcd, createTlsCredentials, EtcdStatusError, type EtcdConnection, type EtcdTlsOptions, type WireMemberList, type WireStatus } from './grpc-client.ts';
import { deriveCluster, idToHex, memberForEndpoint, toAlarms, toEndpoint, toMember, type EndpointProbe } from './transform.ts';

export interface EtcdStatusOptions {
  readonly endpoints: readonly string[];
  readonly tls?: EtcdTlsOptions;
  /** Deadline of each gRPC call; 5 s by default. */
  readonly timeoutMs?: number;
}

export interface EtcdStatusResult {
  readonly status: EtcdStatus;
  readonly problems: Problem[];
}

/** The key `etcdctl endpoint health` reads; it need not exist. */
const HEALTH_KEY = 'health';

/**
 * Health answers that still prove the read went through consensus: with auth on, the permission
 * check comes after the ReadIndex round trip (etcdctl treats permission denied the same way).
 * A learner refuses linearizable reads but answered, so it is up.
 */
const HEALTHY_REFUSALS = /permission denied|user name is empty|not supported for learner/i;

interface RawProbe {
  readonly probe: EndpointProbe;
  readonly members?: WireMemberList;
  readonly failure?: EtcdStatusError;
}

async function probe(conn: EtcdConnection): Promise<RawProbe> {
  // Status first: it opens the channel, so the health read below times a warm round trip.
  let status: WireStatus;
  try {
    status = await conn.status();
  } catch (e) {
    const err = asEtcdError(e);
    // A member that cannot be reached or does not answer would only repeat that for the rest.
    if (err.kind !== 'other' && err.kind !== 'auth') return { probe: { endpoint: conn.endpoint, statusError: err.detail, healthy: false }, failure: err };
    return probeRest(conn, undefined, err);
  }
  return probeRest(conn, status, undefined);
}

async function probeRest(conn: EtcdConnection, status: WireStatus | undefined, statusErr: EtcdStatusError | undefined): Promise<RawProbe> {
  const t0 = performance.now();
  const [health, members] = await Promise.allSettled([conn.range(HEALTH_KEY).then(() => performance.now() - t0), conn.memberList()]);
  let healthy = false;
  let healthLatencyMs: number | undefined;
  let healthErr: EtcdStatusError | undefined;
  if (health.status === 'fulfilled') {
    healthy = true;
    healthLatencyMs = health.value;
  } else {
    healthErr = asEtcdError(health.reason);
    if (healthErr.kind !== 'unreachable' && healthErr.kind !== 'timeout' && HEALTHY_REFUSALS.test(healthErr.detail)) {
      healthy = true;
      healthErr = undefined;
    }
  }
  const failure = statusErr ?? healthErr;
  return {
    probe: {
      endpoint: conn.endpoint,
      ...(status ? { status } : {}),
      ...(statusErr ? { statusError: statusErr.detail } : {}),
      healthy,
      ...(healthLatencyMs !== undefined ? { healthLatencyMs } : {}),
      ...(healthErr ? { healthError: `health check failed: ${healthErr.detail}` } : {}),
    },
    ...(members.status === 'fulfilled' ? { members: members.value } : {}),
    ...(failure ? { failure } : {}),
  };
}

function asEtcdError(e: unknown): EtcdStatusError {
  return e instanceof EtcdStatusError ? e : new EtcdStatusError('other', describeError(e));
}

function credentialsFor(secure: boolean, tls: EtcdTlsOptions | undefined, cache: { secure?: grpc.ChannelCredentials }): grpc.ChannelCredentials {
  if (!secure) return grpc.credentials.createInsecure();
  cache.secure ??= createTlsCredentials(tls);
  return cache.secure;
}

/**
 * Asks every endpoint, concurrently, for its Status, a linearizable health read and the member
 * list, then reads the alarms once from a healthy member (an alarm read goes through raft, so a
 * member without quorum would only time out). Unreachable endpoints become problems, never throws;
 * bad options (no endpoints, malformed URL, unreadable TLS file) throw ConfigError.
 */
export async function collectEtcdStatus(opts: EtcdStatusOptions): Promise<EtcdStatusResult> {
  if (!opts.endpoints.length) throw new ConfigError('etcd status: no endpoints given');
  const timeoutMs = opts.timeoutMs ?? 5000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ConfigError(`etcd status: timeoutMs must be a positive number, got ${String(opts.timeoutMs)}`);
  const tlsConfigured = Boolean(opts.tls?.caFile || opts.tls?.certFile || opts.tls?.keyFile);
  const targets = [...new Map(opts.endpoints.map((e) => parseEndpoint(e, tlsConfigured)).map((t) => [t.target, t])).values()];
  const cache: { secure?: grpc.ChannelCredentials } = {};
  const conns = targets.map((t) => connectEtcd(t, credentialsFor(t.secure, opts.tls, cache), timeoutMs));
  try {
    const raw = await Promise.all(conns.map(probe));
    const problems: Problem[] = [];
    const list = raw.find((r) => r.members)?.members;
    const members: EtcdMember[] = (list?.members ?? []).map(toMember);
    const endpoints = raw.map((r) => toEndpoint(r.probe, members));
    raw.forEach((r, i) => {
      if (!r.failure) return;
      const ep = endpoints[i];
      const who = ep?.memberName ?? memberForEndpoint(r.probe.endpoint, members)?.name;
      problems.push({
        source: 'etcd',
        kind: r.failure.kind,
        message: `${r.probe.endpoint.display}${who ? ` (${who})` : ''}: ${ep?.error ?? r.failure.detail}`,
        entity: who ?? r.probe.endpoint.display,
      });
    });
    if (!list && raw.some((r) => r.probe.status)) {
      problems.push({ source: 'etcd', kind: 'partial', message: 'no endpoint returned the member list; member names are unknown' });
    }

    let alarms: EtcdStatus['alarms'] = [];
    const healthy = conns.filter((_, i) => raw[i]?.probe.healthy);
    let alarmError: string | undefined = healthy.length ? undefined : 'no healthy endpoint to read alarms from';
    for (const conn of healthy) {
      try {
        alarms = toAlarms((await conn.alarms()).alarms, members);
        alarmError = undefined;
        break;
      } catch (e) {
        alarmError = `${conn.endpoint.display}: ${asEtcdError(e).detail}`;
      }
    }
    // With every endpoint down the per-endpoint problems already say it all.
    if (alarmError && raw.some((r) => r.probe.status)) problems.push({ source: 'etcd', kind: 'partial', message: `alarms unknown: ${alarmError}` });

    const header = list?.header ?? raw.find((r) => r.probe.status?.header)?.probe.status?.header;
    const status: EtcdStatus = {
      members,
      endpoints,
      alarms,
      ...deriveCluster(endpoints, members),
      ...(header && header.cluster_id !== '0' ? { clusterId: idToHex(header.cluster_id) } : {}),
      collectedAt: new Date().toISOString(),
    };
    return { status: EtcdStatusSchema.parse(status), problems };
  } finally {
    for (const c of conns) c.close();
  }
}
