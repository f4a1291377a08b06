import type { JetStreamClient } from '@nats-io/jetstream';
import { BusError, isTransientNatsError } from './errors.ts';
import { silentLogger, type BusLogger } from './logger.ts';
import type { OutboundMessage } from './publish.ts';
import { backoffDelay, sleep, type BackoffPolicy } from './retry.ts';

export interface OutboxOptions {
  js: JetStreamClient;
  logger?: BusLogger;
  /** Most messages held; past it the oldest is dropped (and counted). Default 10 000. */
  maxMessages?: number;
  /** Most bytes held; past it the oldest is dropped. Default 256 MiB. */
  maxBytes?: number;
  /** Publishes in flight at once. Default 8. */
  concurrency?: number;
  /** Wait between rounds while the server does not answer. */
  retry?: BackoffPolicy;
  /** Timeout of one publish acknowledgement; default the JetStream client's. */
  timeoutMs?: number;
}

export interface OutboxStats {
  /** Held now, waiting for an acknowledgement. */
  queued: number;
  queuedBytes: number;
  /** Acknowledged by JetStream (duplicates included). */
  published: number;
  /** Acknowledged as duplicates: JetStream had them already (a retry after a lost ack). */
  duplicates: number;
  /** Dropped because the outbox was full (oldest first). */
  dropped: number;
  /** Refused for good by the server (too large, no permission, …). */
  failed: number;
  /** Rounds that failed transiently and were retried. */
  retries: number;
}

/**
 * A bounded in-memory queue in front of JetStream for a producer that must not block or lose data
 * while NATS is away (the collector): `enqueue` returns at once; a background loop publishes in
 * order of arrival, keeps what failed transiently and retries with backoff until the server is
 * back. Every message should carry a dedup id, so a retry after a lost acknowledgement stores
 * nothing twice. What it holds is lost if the process dies; size it for the outage you accept.
 */
export interface Outbox {
  enqueue(msg: OutboundMessage): void;
  stats(): OutboxStats;
  /** Resolves true once everything queued so far is acknowledged (or dropped), false on timeout. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes for up to `flushTimeoutMs` (default 5 s), then stops; logs what it still held. */
  close(opts?: { flushTimeoutMs?: number }): Promise<OutboxStats>;
}

interface Entry {
  readonly msg: OutboundMessage;
}

const DEFAULT_RETRY: BackoffPolicy = { initialDelayMs: 200, maxDelayMs: 5_000, jitterMs: 100 };

export function createOutbox(opts: OutboxOptions): Outbox {
  const { js } = opts;
  const logger = opts.logger ?? silentLogger;
  const maxMessages = opts.maxMessages ?? 10_000;
  const maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  const retry = opts.retry ?? DEFAULT_RETRY;
  const queue: Entry[] = [];
  let inFlight = 0;
  const s: OutboxStats = { queued: 0, queuedBytes: 0, published: 0, duplicates: 0, dropped: 0, failed: 0, retries: 0 };
  let closed = false;
  const stopper = new AbortController();
  let wake: (() => void) | null = null;
  let emptyWaiters: (() => void)[] = [];

  const notifyEmpty = (): void => {
    if (queue.length > 0) return;
    const w = emptyWaiters;
    emptyWaiters = [];
    for (const f of w) f();
  };
  const remove = (index: number, count: number): void => {
    for (const e of queue.splice(index, count)) s.queuedBytes -= e.msg.data.length;
    s.queued = queue.length;
  };

  const pump = async (): Promise<void> => {
    let failedRounds = 0;
    while (!closed) {
      if (queue.length === 0) {
        await new Promise<void>((r) => (wake = r));
        wake = null;
        continue;
      }
      const chunk = queue.slice(0, concurrency);
      inFlight = chunk.length;
      const results = await Promise.allSettled(
        chunk.map((e) =>
          js.publish(e.msg.subject, e.msg.data, {
            ...(e.msg.msgId !== undefined ? { msgID: e.msg.msgId } : {}),
            ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
          }),
        ),
      );
      inFlight = 0;
      // The chunk is still the head of the queue: only appends and non-head drops happened meanwhile.
      const keep: Entry[] = [];
      let transient: unknown = null;
      results.forEach((r, i) => {
        const e = chunk[i]!;
        if (r.status === 'fulfilled') {
          s.published++;
          if (r.value.duplicate) s.duplicates++;
        } else if (isTransientNatsError(r.reason)) {
          keep.push(e);
          transient = r.reason;
        } else {
          s.failed++;
          logger.error({ subject: e.msg.subject, msgId: e.msg.msgId, err: (r.reason as Error).message }, 'outbox message refused by the server, dropped');
        }
      });
      remove(0, chunk.length);
      queue.unshift(...keep);
      for (const e of keep) s.queuedBytes += e.msg.data.length;
      s.queued = queue.length;
      notifyEmpty();
      if (transient !== null) {
        s.retries++;
        const wait = backoffDelay(retry, failedRounds++);
        if (failedRounds === 1 || failedRounds % 10 === 0) logger.warn({ queued: s.queued, retryInMs: wait, err: (transient as Error).message }, 'nats not accepting publishes, holding messages');
        await sleep(wait, stopper.signal);
      } else if (failedRounds > 0) {
        logger.info({ queued: s.queued, afterRounds: failedRounds }, 'nats accepting publishes again');
        failedRounds = 0;
      }
    }
  };
  const flush = async (timeoutMs = 30_000): Promise<boolean> => {
    if (queue.length === 0) return true;
    const timer = new AbortController();
    const emptied = new Promise<boolean>((r) => emptyWaiters.push(() => r(true)));
    const ok = await Promise.race([emptied, sleep(timeoutMs, timer.signal).then(() => false)]);
    timer.abort();
    return ok;
  };
  const running = pump().catch((e: unknown) => logger.error({ err: (e as Error).message }, 'outbox loop failed'));

  return {
    enqueue(msg) {
      if (closed) throw new BusError('outbox is closed', {}, undefined, 'BUS_CLOSED');
      queue.push({ msg });
      s.queuedBytes += msg.data.length;
      while ((queue.length > maxMessages || s.queuedBytes > maxBytes) && queue.length > inFlight + 1) {
        const dropped = queue[inFlight]!;
        remove(inFlight, 1);
        s.dropped++;
        if (s.dropped === 1 || s.dropped % 100 === 0) logger.warn({ subject: dropped.msg.subject, msgId: dropped.msg.msgId, dropped: s.dropped }, 'outbox full, oldest message dropped');
      }
      s.queued = queue.length;
      wake?.();
    },
    stats: () => ({ ...s }),
    flush,
    async close({ flushTimeoutMs = 5_000 } = {}) {
      if (!closed) {
        await flush(flushTimeoutMs);
        closed = true;
        stopper.abort();
        wake?.();
        await running;
        if (queue.length > 0) logger.error({ lost: queue.length }, 'outbox closed with unpublished messages');
      }
      return { ...s };
    },
  };
}
