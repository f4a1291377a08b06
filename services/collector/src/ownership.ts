import { createHash } from 'node:crypto';
import { clusterToken, openBucket, openLeases, type Bus, type Lease, type Leases } from '@etcd-analyzer/shared/bus';
import type { Logger } from '@etcd-analyzer/shared/service';

export const INSTANCES_BUCKET = 'ETCD_COLLECTORS';

/** Rendezvous hashing: every instance computes the same preferred owner from the same live set. */
export function preferredOwner(cluster: string, instances: readonly string[]): string | undefined {
  let best: { id: string; score: bigint } | undefined;
  for (const id of instances) {
    const score = createHash('sha256').update(`${id}\u0000${cluster}`).digest().readBigUInt64BE(0);
    if (!best || score > best.score || (score === best.score && id < best.id)) best = { id, score };
  }
  return best?.id;
}

export interface Ownership {
  /** Clusters this instance holds a lease on now. */
  owned(): ReadonlySet<string>;
  /** Runs one round: heartbeat, then acquire, renew or hand over each cluster. */
  round(clusters: readonly string[]): Promise<{ gained: string[]; lost: string[] }>;
  /** Releases every lease and the heartbeat (a clean stop hands targets over at once). */
  close(): Promise<void>;
}

/**
 * Shares targets between collector instances without collecting one twice: each instance
 * heartbeats in a KV bucket whose TTL drops dead instances; each cluster's preferred owner is
 * chosen by rendezvous hashing over the live instances and takes a lease on it (compare-and-set,
 * so two never hold one). An instance that is no longer preferred (a new one joined) hands the
 * cluster over; one that dies stops renewing, and after the TTL the next preferred one takes it.
 */
export async function createOwnership(opts: { readonly js: Bus['js']; readonly instance: string; readonly ttlMs: number; readonly logger: Logger }): Promise<Ownership> {
  const { instance, ttlMs, logger } = opts;
  const leases: Leases = await openLeases(opts.js, { ttlMs });
  const heartbeats = await openBucket(opts.js, INSTANCES_BUCKET, { ttlMs, history: 1, description: 'etcd-analyzer live collector instances' });
  const held = new Map<string, Lease>();

  async function liveInstances(): Promise<string[]> {
    const keys: string[] = [];
    for await (const k of await heartbeats.keys()) keys.push(k);
    return keys.includes(instance) ? keys : [...keys, instance];
  }

  return {
    owned: () => new Set(held.keys()),
    async round(clusters) {
      await heartbeats.put(instance, new Date().toISOString());
      const live = await liveInstances();
      const gained: string[] = [];
      const lost: string[] = [];
      const wanted = new Set(clusters);
      for (const [cluster, lease] of held) {
        if (wanted.has(cluster)) continue;
        await leases.release(lease).catch(() => false);
        held.delete(cluster);
        lost.push(cluster);
      }
      for (const cluster of clusters) {
        const key = clusterToken(cluster);
        const mine = held.get(cluster);
        const preferred = preferredOwner(cluster, live);
        if (mine) {
          if (preferred !== instance) {
            await leases.release(mine).catch(() => false);
            held.delete(cluster);
            lost.push(cluster);
            logger.info({ cluster, to: preferred }, 'handing a target over');
            continue;
          }
          const r = await leases.renew(mine);
          if (r.ok) held.set(cluster, r.lease);
          else {
            held.delete(cluster);
            lost.push(cluster);
            logger.warn({ cluster, holder: r.holder, reason: r.reason }, 'lease lost');
          }
          continue;
        }
        if (preferred !== instance) continue;
        const r = await leases.acquire(key, instance);
        if (r.ok) {
          held.set(cluster, r.lease);
          gained.push(cluster);
        }
      }
      return { gained, lost };
    },
    async close() {
      for (const lease of held.values()) await leases.release(lease).catch(() => false);
      held.clear();
      await heartbeats.delete(instance).catch(() => undefined);
    },
  };
}
