import type { JetStreamClient } from '@nats-io/jetstream';
import { KvWatchInclude, type KV } from '@nats-io/kv';
import { z } from 'zod';
import { ValidationError } from '../errors/index.ts';
import { formatIssues } from './codecs.ts';
import { BusError } from './errors.ts';
import { openBucket } from './kv-bucket.ts';
import { silentLogger, type BusLogger } from './logger.ts';
import { clusterToken } from './subjects.ts';

/** The KV bucket of collector targets, added and removed at run time. */
export const TARGETS_BUCKET = 'ETCD_TARGETS';
export const TARGET_RECORD_SCHEMA_VERSION = 1;

/** The KV key of a target: its id as a subject token (see clusterToken). */
export function targetKey(id: string): string {
  return clusterToken(id);
}

export type TargetEvent<T> =
  | { type: 'put'; key: string; id: string; target: T; revision: number; initial: boolean }
  | { type: 'delete'; key: string; revision: number }
  /** A value that fails the schema (written by hand, or by an older version): reported, never thrown. */
  | { type: 'invalid'; key: string; reason: string; revision: number; initial: boolean };

export interface TargetsStore<T> {
  readonly bucket: string;
  /** Validates and stores a target under `targetKey(id)`; returns the revision. Throws ValidationError if invalid. */
  put(id: string, target: T): Promise<number>;
  get(id: string): Promise<T | null>;
  delete(id: string): Promise<void>;
  /** Every valid target by id, and the keys whose values are invalid with why. */
  list(): Promise<{ targets: Map<string, T>; invalid: { key: string; reason: string }[] }>;
  /**
   * The current targets (initial: true) and then every change as it happens, until `signal`
   * aborts. Keeps going across reconnects (the KV watcher is an ordered consumer).
   */
  watch(opts?: { signal?: AbortSignal; includeInitial?: boolean }): AsyncIterable<TargetEvent<T>>;
}

const encoder = new TextEncoder();

/**
 * Opens (creating if needed) the targets bucket. The target schema belongs to the collector and
 * comes in as `schema`; each value is stored as `{ schemaVersion, id, updatedAt, target }` and
 * validated on write and on read.
 */
export async function openTargets<S extends z.ZodType>(
  js: JetStreamClient,
  schema: S,
  opts: { bucket?: string; history?: number; replicas?: number; logger?: BusLogger } = {},
): Promise<TargetsStore<z.output<S>>> {
  type T = z.output<S>;
  const bucket = opts.bucket ?? TARGETS_BUCKET;
  const logger = opts.logger ?? silentLogger;
  const recordSchema = z.object({ schemaVersion: z.literal(TARGET_RECORD_SCHEMA_VERSION), id: z.string().min(1), updatedAt: z.string(), target: schema });
  const kv: KV = await openBucket(js, bucket, { history: opts.history ?? 5, replicas: opts.replicas ?? 1, description: 'etcd-analyzer collector targets', logger });

  const decode = (key: string, data: Uint8Array): { ok: true; id: string; target: T } | { ok: false; reason: string } => {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(data));
    } catch (e) {
      return { ok: false, reason: `not JSON: ${(e as Error).message}` };
    }
    const r = recordSchema.safeParse(json);
    if (!r.success) return { ok: false, reason: formatIssues(r.error) };
    if (targetKey(r.data.id) !== key) return { ok: false, reason: `id ${JSON.stringify(r.data.id)} does not belong under key ${key}` };
    return { ok: true, id: r.data.id, target: (r.data as { target: unknown }).target as T };
  };
  const wrap = async <R>(what: string, f: () => Promise<R>): Promise<R> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof ValidationError || e instanceof BusError) throw e;
      throw new BusError(`targets ${what} failed: ${(e as Error).message}`, { bucket }, { cause: e }, 'BUS_KV');
    }
  };

  return {
    bucket,
    put: (id, target) =>
      wrap('put', async () => {
        const record = { schemaVersion: TARGET_RECORD_SCHEMA_VERSION, id, updatedAt: new Date().toISOString(), target };
        const r = recordSchema.safeParse(record);
        if (!r.success) throw new ValidationError(`target ${JSON.stringify(id)}`, r.error);
        return kv.put(targetKey(id), encoder.encode(JSON.stringify(r.data)));
      }),
    get: (id) =>
      wrap('get', async () => {
        const key = targetKey(id);
        const e = await kv.get(key);
        if (e === null || e.operation !== 'PUT') return null;
        const d = decode(key, e.value);
        if (!d.ok) throw new BusError(`target ${key} in ${bucket} is invalid: ${d.reason}`, { bucket, key }, undefined, 'BUS_KV');
        return d.target;
      }),
    delete: (id) => wrap('delete', () => kv.delete(targetKey(id))),
    list: () =>
      wrap('list', async () => {
        const targets = new Map<string, T>();
        const invalid: { key: string; reason: string }[] = [];
        for await (const key of await kv.keys()) {
          const e = await kv.get(key);
          if (e === null || e.operation !== 'PUT') continue;
          const d = decode(key, e.value);
          if (d.ok) targets.set(d.id, d.target);
          else invalid.push({ key, reason: d.reason });
        }
        return { targets, invalid };
      }),
    async *watch({ signal, includeInitial = true } = {}) {
      if (signal?.aborted) return;
      const iter = await kv.watch({ include: includeInitial ? KvWatchInclude.LastValue : KvWatchInclude.UpdatesOnly });
      const onAbort = (): void => iter.stop();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        for await (const e of iter) {
          const initial = !e.isUpdate;
          if (e.operation !== 'PUT') {
            if (!initial) yield { type: 'delete', key: e.key, revision: e.revision };
            continue;
          }
          const d = decode(e.key, e.value);
          if (d.ok) yield { type: 'put', key: e.key, id: d.id, target: d.target, revision: e.revision, initial };
          else {
            logger.warn({ bucket, key: e.key, reason: d.reason }, 'invalid target in KV, ignored');
            yield { type: 'invalid', key: e.key, reason: d.reason, revision: e.revision, initial };
          }
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
        iter.stop();
      }
    },
  };
}
