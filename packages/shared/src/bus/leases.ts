import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import type { KV, KvEntry } from '@nats-io/kv';
import { z } from 'zod';
import { BusError, InvalidSubjectTokenError } from './errors.ts';
import { KV_KEY, openBucket } from './kv-bucket.ts';
import { silentLogger, type BusLogger } from './logger.ts';

/** The KV bucket of target ownership leases. */
export const LEASES_BUCKET = 'ETCD_LEASES';

const LeaseValueSchema = z.object({ owner: z.string().min(1).max(256), acquiredAt: z.string(), renewedAt: z.string() });

/** A lease held by this process. Trust it only until `validUntil` unless renewed. */
export interface Lease {
  readonly key: string;
  readonly owner: string;
  /** The KV revision written by the last acquire/renew: the compare-and-set token. */
  readonly revision: number;
  readonly acquiredAt: string;
  /** Local clock (ms since epoch): the request started before this minus the TTL, so the server expires it later. */
  readonly validUntil: number;
}

export type LeaseResult = { ok: true; lease: Lease } | { ok: false; key: string; holder: string | null; reason: 'held' | 'lost' | 'raced' };

/**
 * Ownership of keys (collector targets) shared by several instances. A lease lives in a KV bucket
 * whose TTL is the lease time: the holder renews well within it (every ttl/3); an owner that dies
 * stops renewing, its entry expires on the server, and another instance acquires the key. Every
 * write is a compare-and-set on the key's revision, so two owners never hold one key.
 *
 * Owner ids must be unique per process (e.g. `<host>:<pid>:<random>`); one owner acquiring a
 * key it already holds renews it.
 */
export interface Leases {
  readonly bucket: string;
  readonly ttlMs: number;
  acquire(key: string, owner: string): Promise<LeaseResult>;
  /** Extends a lease held; `lost` when it expired or someone else holds it now. */
  renew(lease: Lease): Promise<LeaseResult>;
  /** Gives the key up at once (delete on our revision); false when it was no longer ours. */
  release(lease: Lease): Promise<boolean>;
  /** Who holds the key now, or null. */
  owner(key: string): Promise<string | null>;
}

function isWrongSequence(e: unknown): boolean {
  return e instanceof JetStreamApiError && (e.code === JetStreamApiCodes.StreamWrongLastSequence || e.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);
}

/**
 * Opens (creating if needed) the leases bucket with a bucket-level TTL (`max_age`): it works on
 * nats-server 2.9; per-key TTLs (2.11) are not used.
 */
export async function openLeases(js: JetStreamClient, opts: { bucket?: string; ttlMs?: number; replicas?: number; logger?: BusLogger } = {}): Promise<Leases> {
  const bucket = opts.bucket ?? LEASES_BUCKET;
  const ttlMs = opts.ttlMs ?? 15_000;
  if (!Number.isInteger(ttlMs) || ttlMs < 1_000) throw new BusError(`lease ttlMs must be an integer of at least 1000, got ${ttlMs}`, { bucket }, undefined, 'BUS_LEASE');
  const logger = opts.logger ?? silentLogger;
  const kv: KV = await openBucket(js, bucket, { ttlMs, history: 1, replicas: opts.replicas ?? 1, description: 'etcd-analyzer target leases', logger });
  const encoder = new TextEncoder();

  const checkKey = (key: string): void => {
    if (!KV_KEY.test(key)) throw new InvalidSubjectTokenError('lease key', key, `must match ${KV_KEY}`);
  };
  const holderOf = (e: KvEntry | null): string | null => {
    if (e === null || e.operation !== 'PUT') return null;
    try {
      const r = LeaseValueSchema.safeParse(JSON.parse(new TextDecoder().decode(e.value)));
      return r.success ? r.data.owner : '(invalid lease value)';
    } catch {
      return '(invalid lease value)';
    }
  };
  const acquiredAtOf = (e: KvEntry): string | null => {
    try {
      const r = LeaseValueSchema.safeParse(JSON.parse(new TextDecoder().decode(e.value)));
      return r.success ? r.data.acquiredAt : null;
    } catch {
      return null;
    }
  };
  const value = (owner: string, acquiredAt: string, now: Date): Uint8Array => encoder.encode(JSON.stringify({ owner, acquiredAt, renewedAt: now.toISOString() }));
  const fail = (what: string, key: string, e: unknown): never => {
    throw new BusError(`lease ${what} of ${key} failed: ${(e as Error).message}`, { bucket, key }, { cause: e }, 'BUS_LEASE');
  };
  const owner = async (key: string): Promise<string | null> => {
    checkKey(key);
    try {
      return holderOf(await kv.get(key));
    } catch (e) {
      return fail('lookup', key, e);
    }
  };
  /** Writes with CAS on `revision` (0 = the key must not exist). */
  const write = async (key: string, owner: string, acquiredAt: string, revision: number, lostReason: 'raced' | 'lost'): Promise<LeaseResult> => {
    const started = Date.now();
    try {
      const rev = revision === 0 ? await kv.create(key, value(owner, acquiredAt, new Date(started))) : await kv.update(key, value(owner, acquiredAt, new Date(started)), revision);
      return { ok: true, lease: { key, owner, revision: rev, acquiredAt, validUntil: started + ttlMs } };
    } catch (e) {
      if (isWrongSequence(e)) return { ok: false, key, holder: await owner_(key), reason: lostReason };
      return fail(revision === 0 ? 'create' : 'update', key, e);
    }
  };
  const owner_ = (key: string): Promise<string | null> => owner(key).catch(() => null);

  return {
    bucket,
    ttlMs,
    owner,
    async acquire(key, who) {
      checkKey(key);
      if (who.length === 0 || who.length > 256) throw new BusError('lease owner must be 1-256 characters', { bucket, key }, undefined, 'BUS_LEASE');
      let entry: KvEntry | null;
      try {
        entry = await kv.get(key);
      } catch (e) {
        return fail('lookup', key, e);
      }
      const now = new Date().toISOString();
      if (entry === null) return write(key, who, now, 0, 'raced');
      if (entry.operation !== 'PUT') return write(key, who, now, entry.revision, 'raced');
      const holder = holderOf(entry);
      if (holder !== who) return { ok: false, key, holder, reason: 'held' };
      return write(key, who, acquiredAtOf(entry) ?? now, entry.revision, 'raced');
    },
    async renew(lease) {
      checkKey(lease.key);
      const r = await write(lease.key, lease.owner, lease.acquiredAt, lease.revision, 'lost');
      if (!r.ok) logger.warn({ bucket, key: lease.key, owner: lease.owner, holder: r.holder }, 'lease lost');
      return r;
    },
    async release(lease) {
      checkKey(lease.key);
      try {
        await kv.delete(lease.key, { previousSeq: lease.revision });
        return true;
      } catch (e) {
        if (isWrongSequence(e)) return false;
        return fail('release', lease.key, e);
      }
    },
  };
}
