import { nanos } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { BusError } from './errors.ts';
import { silentLogger, type BusLogger } from './logger.ts';

/** A KV key made of one subject token (no dots: a dot would make a hierarchy). */
export const KV_KEY = /^[A-Za-z0-9_-]{1,80}$/;

export interface BucketOptions {
  /** Entries older than this vanish (bucket-level TTL, nats-server ≥ 2.6); 0 = kept. */
  ttlMs?: number;
  history?: number;
  replicas?: number;
  description?: string;
  logger?: BusLogger;
}

/**
 * Opens a KV bucket, creating it when missing. An existing bucket whose TTL differs is updated in
 * place (entries kept). Uses only what nats-server 2.9 supports: no per-key TTL, no markers.
 */
export async function openBucket(js: JetStreamClient, bucket: string, opts: BucketOptions = {}): Promise<KV> {
  const logger = opts.logger ?? silentLogger;
  const ttlMs = opts.ttlMs ?? 0;
  let kv: KV;
  try {
    kv = await new Kvm(js).create(bucket, {
      history: opts.history ?? 1,
      replicas: opts.replicas ?? 1,
      ...(ttlMs > 0 ? { ttl: ttlMs } : {}),
      ...(opts.description !== undefined ? { description: opts.description } : {}),
    });
  } catch (e) {
    throw new BusError(`cannot open KV bucket ${bucket}: ${(e as Error).message}`, { bucket }, { cause: e }, 'BUS_KV');
  }
  const status = await kv.status();
  if (status.ttl !== ttlMs) {
    const jsm = await js.jetstreamManager();
    const stream = status.streamInfo.config;
    const dup = ttlMs > 0 ? Math.min(ttlMs, 120_000) : 120_000;
    await jsm.streams.update(stream.name, { ...stream, max_age: nanos(ttlMs), duplicate_window: nanos(dup) });
    logger.info({ bucket, ttlMs, was: status.ttl }, 'KV bucket TTL updated, entries kept');
  }
  return kv;
}
