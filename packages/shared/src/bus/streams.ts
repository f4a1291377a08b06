import { nanos } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { ConfigError } from '../errors/index.ts';
import { BusStreamsConfigSchema, DurableConsumerConfigSchema, type BusStreamsConfig, type BusStreamsConfigInput, type DlqMessage, type DurableConsumerConfig, type DurableConsumerConfigInput, type FindingEvent, type MetricBatch, type Report } from '../schema/index.ts';
import { DlqMessageCodec, FindingEventCodec, MetricBatchCodec, ReportCodec, type Codec } from './codecs.ts';
import { BusError } from './errors.ts';
import { silentLogger, type BusLogger } from './logger.ts';
import { dlqFilter, findingsFilter, metricsFilter, reportsFilter } from './subjects.ts';

/** The four streams. */
export const STREAMS = { metrics: 'ETCD_METRICS', findings: 'ETCD_FINDINGS', reports: 'ETCD_REPORTS', dlq: 'ETCD_DLQ' } as const;
export type StreamKey = keyof typeof STREAMS;
export type StreamName = (typeof STREAMS)[StreamKey];

/** What each stream carries. */
export interface StreamPayloads {
  ETCD_METRICS: MetricBatch;
  ETCD_FINDINGS: FindingEvent;
  ETCD_REPORTS: Report;
  ETCD_DLQ: DlqMessage;
}

export const STREAM_CODECS: { readonly [S in StreamName]: Codec<StreamPayloads[S]> } = {
  ETCD_METRICS: MetricBatchCodec,
  ETCD_FINDINGS: FindingEventCodec,
  ETCD_REPORTS: ReportCodec,
  ETCD_DLQ: DlqMessageCodec,
};

/** The `etcd.dlq.<source>` a consumer of each stream sends bad messages to (none for the DLQ itself). */
export const STREAM_DLQ_SOURCE: { readonly [S in StreamName]: string | null } = {
  ETCD_METRICS: 'metrics',
  ETCD_FINDINGS: 'findings',
  ETCD_REPORTS: 'reports',
  ETCD_DLQ: null,
};

const KEY_OF: { readonly [S in StreamName]: StreamKey } = { ETCD_METRICS: 'metrics', ETCD_FINDINGS: 'findings', ETCD_REPORTS: 'reports', ETCD_DLQ: 'dlq' };
const SUBJECTS: { readonly [K in StreamKey]: string } = { metrics: metricsFilter(), findings: findingsFilter(), reports: reportsFilter(), dlq: dlqFilter() };

/** The settings this module owns on each stream (file storage, limits retention, discard old). */
export function streamConfig(name: StreamName, config: BusStreamsConfig): StreamConfig {
  const key = KEY_OF[name];
  const limits = config[key];
  return {
    name,
    description: `etcd-analyzer ${key} (${SUBJECTS[key]})`,
    subjects: [SUBJECTS[key]],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(limits.maxAgeMs),
    max_bytes: limits.maxBytes,
    duplicate_window: nanos(limits.duplicateWindowMs),
    num_replicas: config.replicas,
  } as StreamConfig;
}

function parseConfig<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, input: unknown, prefix: string): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ConfigError(`invalid ${prefix} config: ${r.error.issues.map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ')}`, { key: prefix });
}

/** Parses the streams' retention config; a bad key is a ConfigError naming it (`streams.findings.maxAgeMs`). */
export function parseStreamsConfig(input: unknown = {}): BusStreamsConfig {
  return parseConfig(BusStreamsConfigSchema, input, 'streams');
}

/** Parses a durable consumer's config; a bad key is a ConfigError naming it. */
export function parseConsumerConfig(input: unknown): DurableConsumerConfig {
  return parseConfig(DurableConsumerConfigSchema, input, 'consumer');
}

function isNotFound(e: unknown, code: number): boolean {
  return e instanceof JetStreamApiError && e.code === code;
}

export type EnsureOutcome = 'created' | 'updated' | 'unchanged';

const IMMUTABLE_STREAM_FIELDS = ['storage', 'retention'] as const;
const MUTABLE_STREAM_FIELDS = ['subjects', 'max_age', 'max_bytes', 'duplicate_window', 'discard', 'num_replicas', 'description'] as const;

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
  return a === b;
}

async function ensureStream(jsm: JetStreamManager, want: StreamConfig, logger: BusLogger): Promise<EnsureOutcome> {
  for (let attempt = 0; ; attempt++) {
    let have: StreamConfig;
    try {
      have = (await jsm.streams.info(want.name)).config;
    } catch (e) {
      if (!isNotFound(e, JetStreamApiCodes.StreamNotFound)) throw new BusError(`cannot read stream ${want.name}: ${(e as Error).message}`, { stream: want.name }, { cause: e }, 'BUS_STREAM');
      try {
        await jsm.streams.add(want);
        logger.info({ stream: want.name, subjects: want.subjects }, 'stream created');
        return 'created';
      } catch (addErr) {
        // Another process created it first: compare with what it made.
        if (attempt === 0) continue;
        throw new BusError(`cannot create stream ${want.name}: ${(addErr as Error).message}`, { stream: want.name }, { cause: addErr }, 'BUS_STREAM');
      }
    }
    for (const f of IMMUTABLE_STREAM_FIELDS) {
      if (have[f] !== want[f]) {
        throw new BusError(`stream ${want.name} has ${f}=${String(have[f])}, expected ${String(want[f])}; it cannot be changed in place (move the data and delete the stream deliberately)`, { stream: want.name, field: f }, undefined, 'BUS_STREAM');
      }
    }
    const changed = MUTABLE_STREAM_FIELDS.filter((f) => !same(have[f], want[f]));
    if (changed.length === 0) return 'unchanged';
    try {
      await jsm.streams.update(want.name, { ...have, ...want });
    } catch (e) {
      throw new BusError(`cannot update stream ${want.name} (${changed.join(', ')}): ${(e as Error).message}`, { stream: want.name }, { cause: e }, 'BUS_STREAM');
    }
    logger.info({ stream: want.name, changed }, 'stream updated, data kept');
    return 'updated';
  }
}

/**
 * Creates the four streams, or brings existing ones to the config: limits that differ are
 * updated in place (stored messages are kept); a different storage or retention type is an
 * error, never a silent re-creation. Safe to run from every process at start-up.
 */
export async function ensureStreams(jsm: JetStreamManager, config: BusStreamsConfigInput = {}, logger: BusLogger = silentLogger): Promise<Record<StreamName, EnsureOutcome>> {
  const c = parseStreamsConfig(config);
  const out = {} as Record<StreamName, EnsureOutcome>;
  for (const name of Object.values(STREAMS)) out[name] = await ensureStream(jsm, streamConfig(name, c), logger);
  return out;
}

function consumerConfig(c: DurableConsumerConfig): Partial<ConsumerConfig> & { durable_name: string } {
  return {
    durable_name: c.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(c.ackWaitMs),
    max_deliver: c.maxDeliver,
    max_ack_pending: c.maxAckPending,
    deliver_policy: c.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    ...(c.filterSubject !== undefined ? { filter_subject: c.filterSubject } : {}),
  };
}

const MUTABLE_CONSUMER_FIELDS = ['ack_wait', 'max_deliver', 'max_ack_pending', 'filter_subject'] as const;

/**
 * Creates a durable pull consumer with explicit ack, or updates the ack wait, max deliver and
 * max ack pending of an existing one (its position is kept). Where it starts is fixed at creation.
 * nats-server 2.9 cannot change a consumer's filter subject: that is an error naming it.
 */
export async function ensureConsumer(jsm: JetStreamManager, stream: StreamName, config: DurableConsumerConfigInput, logger: BusLogger = silentLogger): Promise<EnsureOutcome> {
  const c = parseConsumerConfig(config);
  const want = consumerConfig(c);
  let have: ConsumerConfig;
  try {
    have = (await jsm.consumers.info(stream, c.durable)).config;
  } catch (e) {
    if (!isNotFound(e, JetStreamApiCodes.ConsumerNotFound)) throw new BusError(`cannot read consumer ${stream}/${c.durable}: ${(e as Error).message}`, { stream, durable: c.durable }, { cause: e }, 'BUS_CONSUMER');
    try {
      await jsm.consumers.add(stream, want);
    } catch (addErr) {
      throw new BusError(`cannot create consumer ${stream}/${c.durable}: ${(addErr as Error).message}`, { stream, durable: c.durable }, { cause: addErr }, 'BUS_CONSUMER');
    }
    logger.info({ stream, durable: c.durable }, 'consumer created');
    return 'created';
  }
  const changed = MUTABLE_CONSUMER_FIELDS.filter((f) => (have[f] ?? '') !== (want[f] ?? ''));
  if (have.ack_policy !== AckPolicy.Explicit) throw new BusError(`consumer ${stream}/${c.durable} has ack_policy=${have.ack_policy}, expected explicit`, { stream, durable: c.durable }, undefined, 'BUS_CONSUMER');
  if (changed.length === 0) return 'unchanged';
  try {
    const { durable_name: _d, deliver_policy: _p, ...delta } = want;
    await jsm.consumers.update(stream, c.durable, delta);
  } catch (e) {
    throw new BusError(`cannot update consumer ${stream}/${c.durable} (${changed.join(', ')}): ${(e as Error).message}`, { stream, durable: c.durable }, { cause: e }, 'BUS_CONSUMER');
  }
  logger.info({ stream, durable: c.durable, changed }, 'consumer updated');
  return 'updated';
}
