import { DeliverPolicy, type JetStreamClient, type OrderedConsumerOptions } from '@nats-io/jetstream';
import type { Codec } from './codecs.ts';
import type { MessageMeta } from './consume.ts';
import { silentLogger, type BusLogger } from './logger.ts';
import { STREAM_CODECS, type StreamName, type StreamPayloads } from './streams.ts';

/** Where a follower starts: every stored message, only new ones, or those stored since a time. */
export type FollowFrom = 'all' | 'new' | Date;

export interface FollowOptions<S extends StreamName> {
  js: JetStreamClient;
  stream: S;
  /** A subject filter inside the stream (e.g. `findingsFilter({ severity: 'critical' })`). */
  filter?: string;
  /** Default 'new'. A `Date` replays what the stream still holds from then on. */
  from?: FollowFrom;
  signal?: AbortSignal;
  logger?: BusLogger;
  /** Called for a message that fails its schema (it is skipped, never thrown). */
  onInvalid?: (reason: string, meta: MessageMeta) => void;
  codec?: Codec<StreamPayloads[S]>;
}

export interface Followed<T> {
  value: T;
  meta: MessageMeta;
}

/**
 * Reads a stream in order without a durable consumer (an ordered consumer: no acks, nothing left
 * on the server when it stops, re-created by the client after a reconnect). For subscribers that
 * watch and may replay: `etcd-analyzer watch --since 1h` is `followStream({ stream: 'ETCD_FINDINGS',
 * from: new Date(Date.now() - 3_600_000) })`. Ends when `signal` aborts.
 */
export async function* followStream<S extends StreamName>(opts: FollowOptions<S>): AsyncGenerator<Followed<StreamPayloads[S]>> {
  const { js, stream } = opts;
  const codec: Codec<StreamPayloads[S]> = opts.codec ?? STREAM_CODECS[stream];
  const logger = opts.logger ?? silentLogger;
  const from = opts.from ?? 'new';
  if (opts.signal?.aborted) return;
  const o: Partial<OrderedConsumerOptions> = {
    ...(opts.filter !== undefined ? { filter_subjects: opts.filter } : {}),
    ...(from === 'all' ? { deliver_policy: DeliverPolicy.All } : from === 'new' ? { deliver_policy: DeliverPolicy.New } : { opt_start_time: from.toISOString() }),
  };
  const consumer = await js.consumers.get(stream, o);
  const iter = await consumer.consume();
  const onAbort = (): void => iter.stop();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const m of iter) {
      const meta: MessageMeta = {
        subject: m.subject,
        stream: m.info.stream,
        seq: m.seq,
        deliveries: m.info.deliveryCount,
        redelivered: m.redelivered,
        time: m.time,
        msgId: m.headers?.get('Nats-Msg-Id') || undefined,
      };
      const d = codec.decode(m.data);
      if (d.ok) yield { value: d.value, meta };
      else {
        logger.warn({ stream, seq: m.seq, subject: m.subject, reason: d.reason }, 'invalid message skipped');
        opts.onInvalid?.(d.reason, meta);
      }
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    iter.stop();
  }
}
