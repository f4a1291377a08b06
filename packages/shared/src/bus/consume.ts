import { millis } from '@nats-io/transport-node';
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { describeError } from '../errors/index.ts';
import type { DurableConsumerConfigInput } from '../schema/index.ts';
import type { Codec } from './codecs.ts';
import { BusError, isConnectionClosedError } from './errors.ts';
import { silentLogger, type BusLogger } from './logger.ts';
import { publishDlq } from './publish.ts';
import { backoffDelay, sleep, type BackoffPolicy } from './retry.ts';
import { ensureConsumer, STREAM_CODECS, STREAM_DLQ_SOURCE, type StreamName, type StreamPayloads } from './streams.ts';

/** What the handler gets besides the decoded value. */
export interface MessageMeta {
  readonly subject: string;
  readonly stream: string;
  readonly seq: number;
  /** 1 on the first delivery. */
  readonly deliveries: number;
  readonly redelivered: boolean;
  readonly time: Date;
  /** The publisher's `Nats-Msg-Id`, when it set one. */
  readonly msgId: string | undefined;
}

/** Stores or otherwise handles one message; the message is acked only after it resolves. */
export type DurableHandler<T> = (value: T, meta: MessageMeta) => Promise<void>;

export interface ConsumeDurableOptions<S extends StreamName> {
  js: JetStreamClient;
  stream: S;
  durable: string;
  handler: DurableHandler<StreamPayloads[S]>;
  signal?: AbortSignal;
  logger?: BusLogger;
  /**
   * Create or update the consumer with these settings before consuming and whenever it has
   * vanished. Without it the consumer must exist (see ensureConsumer).
   */
  consumer?: Omit<DurableConsumerConfigInput, 'durable'>;
  /** Messages pulled at once; keep it small so buffered messages do not outlive their ack wait. Default 10. */
  batch?: number;
  /** Redelivery delay after a handler failure, growing with the delivery count. Default 1 s .. 60 s. */
  nakDelay?: BackoffPolicy;
  /** Wait before re-creating the consumer after the loop failed. Default 500 ms .. 15 s. */
  recreate?: BackoffPolicy;
  /** Bound on the payload copied into a DLQ record. */
  dlqMaxPayloadBytes?: number;
  /** Overrides the stream's codec (tests, or a stream carrying another schema version). */
  codec?: Codec<StreamPayloads[S]>;
}

export interface ConsumeStats {
  /** Acked after the handler succeeded. */
  handled: number;
  /** Failed decoding or validation, dead-lettered and terminated. */
  invalid: number;
  /** Handler failures (each nak'ed for redelivery, or dead-lettered at max deliver). */
  failed: number;
  /** Sent to the DLQ (invalid, or failed `maxDeliver` times). */
  deadLettered: number;
  /** Times the consume loop was re-created after a failure. */
  restarts: number;
}

export interface DurableConsumer {
  /** Live counters. */
  readonly stats: Readonly<ConsumeStats>;
  /** Resolves when the loop has stopped (aborted, or the connection was closed). */
  readonly done: Promise<void>;
  /** Aborts the loop and waits for it; the message in hand finishes first. */
  stop(): Promise<void>;
}

const DEFAULT_NAK: BackoffPolicy = { initialDelayMs: 1_000, maxDelayMs: 60_000, jitterMs: 0 };
const DEFAULT_RECREATE: BackoffPolicy = { initialDelayMs: 500, maxDelayMs: 15_000, jitterMs: 250 };

/**
 * Consumes a durable pull consumer with the nats.js loop (consume, `for await`, re-create on
 * failure). Each message is decoded with the stream's codec: an invalid one goes to
 * `etcd.dlq.<source>` with the reason and is terminated, and the loop goes on. A valid one is given
 * to the handler and acked only after the handler resolves (it stores first); a handler failure
 * naks it with a growing delay, and on its last allowed delivery it is dead-lettered instead of
 * dropped. Several processes on one durable share the messages.
 */
export function consumeDurable<S extends StreamName>(opts: ConsumeDurableOptions<S>): DurableConsumer {
  const { js, stream, durable, handler } = opts;
  const logger = opts.logger ?? silentLogger;
  const codec: Codec<StreamPayloads[S]> = opts.codec ?? STREAM_CODECS[stream];
  const dlqSource = STREAM_DLQ_SOURCE[stream];
  const nakDelay = opts.nakDelay ?? DEFAULT_NAK;
  const recreate = opts.recreate ?? DEFAULT_RECREATE;
  const stats: ConsumeStats = { handled: 0, invalid: 0, failed: 0, deadLettered: 0, restarts: 0 };
  const ac = new AbortController();
  const signal = ac.signal;
  if (opts.signal?.aborted) ac.abort();
  else opts.signal?.addEventListener('abort', () => ac.abort(), { once: true });
  let maxDeliver = -1;
  let ackWaitMs = 30_000;

  const deadLetter = async (m: JsMsg, meta: MessageMeta, reason: string): Promise<boolean> => {
    if (dlqSource === null) {
      logger.error({ stream, seq: meta.seq, subject: meta.subject, reason }, 'bad message on the DLQ stream, terminated');
      m.term();
      return true;
    }
    try {
      await publishDlq(
        js,
        dlqSource,
        { subject: meta.subject, reason, payload: m.data, stream: meta.stream, seq: meta.seq, deliveries: meta.deliveries },
        { retry: { deadlineMs: 10_000 }, logger, ...(opts.dlqMaxPayloadBytes !== undefined ? { maxPayloadBytes: opts.dlqMaxPayloadBytes } : {}) },
      );
    } catch (e) {
      // Never drop it: leave it for redelivery and try the DLQ again then.
      logger.error({ stream, seq: meta.seq, subject: meta.subject, err: describeError(e) }, 'cannot dead-letter, message left for redelivery');
      m.nak(backoffDelay(nakDelay, meta.deliveries - 1));
      return false;
    }
    m.term();
    stats.deadLettered++;
    logger.warn({ stream, seq: meta.seq, subject: meta.subject, reason }, 'message dead-lettered');
    return true;
  };

  const processOne = async (m: JsMsg): Promise<void> => {
    const meta: MessageMeta = {
      subject: m.subject,
      stream: m.info.stream,
      seq: m.seq,
      deliveries: m.info.deliveryCount,
      redelivered: m.redelivered,
      time: m.time,
      msgId: m.headers?.get('Nats-Msg-Id') || undefined,
    };
    const decoded = codec.decode(m.data);
    if (!decoded.ok) {
      if (await deadLetter(m, meta, decoded.reason)) stats.invalid++;
      return;
    }
    // A long write must not let the ack wait run out and hand the message to another process.
    const keepAlive = setInterval(() => m.working(), Math.max(1_000, Math.floor(ackWaitMs / 2)));
    try {
      await handler(decoded.value, meta);
    } catch (e) {
      clearInterval(keepAlive);
      stats.failed++;
      const err = describeError(e);
      if (maxDeliver > 0 && meta.deliveries >= maxDeliver) {
        await deadLetter(m, meta, `handler failed on delivery ${meta.deliveries} of ${maxDeliver}: ${err}`);
        return;
      }
      const delay = backoffDelay(nakDelay, meta.deliveries - 1);
      logger.warn({ stream, durable, seq: meta.seq, subject: meta.subject, deliveries: meta.deliveries, retryInMs: delay, err }, 'handler failed, message will be redelivered');
      m.nak(delay);
      return;
    }
    clearInterval(keepAlive);
    m.ack();
    stats.handled++;
  };

  const run = async (): Promise<void> => {
    let failures = 0;
    while (!signal.aborted) {
      let messages: ConsumerMessages | undefined;
      const onAbort = (): void => messages?.stop();
      try {
        if (opts.consumer) await ensureConsumer(await js.jetstreamManager(), stream, { ...opts.consumer, durable }, logger);
        const consumer = await js.consumers.get(stream, durable);
        const info = await consumer.info(true);
        maxDeliver = info.config.max_deliver ?? -1;
        ackWaitMs = info.config.ack_wait ? millis(info.config.ack_wait) : 30_000;
        const iter = await consumer.consume({ max_messages: opts.batch ?? 10 });
        messages = iter;
        signal.addEventListener('abort', onAbort, { once: true });
        void (async () => {
          for await (const s of iter.status()) {
            if (s.type === 'consumer_deleted' || (s.type === 'consumer_not_found' && opts.consumer)) {
              logger.warn({ stream, durable, status: s.type }, 'consumer gone, re-creating');
              iter.stop();
            }
          }
        })().catch(() => {});
        logger.info({ stream, durable }, 'consuming');
        for await (const m of iter) {
          if (signal.aborted) {
            m.nak(); // hand it straight to another process
            continue;
          }
          await processOne(m);
          failures = 0;
        }
        if (signal.aborted) break;
        throw new BusError(`consumer ${stream}/${durable} stopped`, { stream, durable }, undefined, 'BUS_CONSUMER');
      } catch (e) {
        if (signal.aborted) break;
        if (isConnectionClosedError(e)) {
          logger.error({ stream, durable, err: describeError(e) }, 'connection closed, consumer stopped');
          break;
        }
        stats.restarts++;
        const wait = backoffDelay(recreate, failures++);
        logger.warn({ stream, durable, retryInMs: wait, err: describeError(e) }, 'consume loop failed, re-creating the consumer');
        await sleep(wait, signal);
      } finally {
        signal.removeEventListener('abort', onAbort);
        messages?.stop();
      }
    }
  };

  const done = run().catch((e: unknown) => logger.error({ stream, durable, err: describeError(e) }, 'consume loop crashed'));
  return {
    stats,
    done,
    async stop() {
      ac.abort();
      await done;
    },
  };
}
