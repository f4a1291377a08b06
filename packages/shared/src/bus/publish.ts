import type { JetStreamClient } from '@nats-io/jetstream';
import { DLQ_MESSAGE_SCHEMA_VERSION, type FindingEvent, type MetricBatch, type Report } from '../schema/index.ts';
import { DlqMessageCodec, FindingEventCodec, MetricBatchCodec, ReportCodec } from './codecs.ts';
import { isTransientNatsError, PublishError } from './errors.ts';
import { silentLogger, type BusLogger } from './logger.ts';
import { backoffDelay, sleep, type BackoffPolicy } from './retry.ts';
import { dlqSubject, findingsSubject, metricsSubject, reportsSubject } from './subjects.ts';

/** A message ready for the wire: validated, encoded, with its subject and dedup id. */
export interface OutboundMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  /** `Nats-Msg-Id`: JetStream drops a second publish with the same id inside the duplicate window. */
  readonly msgId?: string;
}

/** MetricBatch on `etcd.metrics.<cluster>.<category>`, dedup id = `batch.id`. Throws if invalid. */
export function batchMessage(batch: MetricBatch): OutboundMessage {
  return { subject: metricsSubject(batch.cluster, batch.category), data: MetricBatchCodec.encode(batch), msgId: batch.id };
}

/** FindingEvent on `etcd.findings.<cluster>.<severity>.<category>`, dedup id = `<id>:<state>`. */
export function findingEventMessage(event: FindingEvent): OutboundMessage {
  return {
    subject: findingsSubject(event.cluster, event.finding.severity, event.finding.category),
    data: FindingEventCodec.encode(event),
    msgId: `${event.id}:${event.state}`,
  };
}

/** Report on `etcd.reports.<cluster>`, dedup id = `report.id`. */
export function reportMessage(report: Report): OutboundMessage {
  return { subject: reportsSubject(report.cluster), data: ReportCodec.encode(report), msgId: report.id };
}

/** What a consumer knows about a message it rejects. */
export interface DlqInput {
  /** The subject it arrived on. */
  subject: string;
  reason: string;
  payload: Uint8Array | string;
  stream?: string;
  seq?: number;
  deliveries?: number;
}

/** Default bound on the payload kept in a DLQ record (the original stays in its stream by stream/seq). */
export const DLQ_MAX_PAYLOAD_BYTES = 64 * 1024;
const MAX_REASON = 4_000;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function boundedPayload(payload: Uint8Array | string, maxBytes: number): { encoding: 'utf8' | 'base64'; data: string; bytes: number; truncated: boolean } {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  const truncated = bytes.length > maxBytes;
  let kept = truncated ? bytes.subarray(0, maxBytes) : bytes;
  try {
    // A cut through a multi-byte character is not "binary": back off to the character boundary.
    if (truncated) while (kept.length > 0 && (kept[kept.length - 1]! & 0xc0) === 0x80) kept = kept.subarray(0, kept.length - 1);
    if (truncated && kept.length > 0 && kept[kept.length - 1]! >= 0xc0) kept = kept.subarray(0, kept.length - 1);
    return { encoding: 'utf8', data: strictUtf8.decode(kept), bytes: bytes.length, truncated };
  } catch {
    kept = truncated ? bytes.subarray(0, maxBytes) : bytes;
    return { encoding: 'base64', data: Buffer.from(kept).toString('base64'), bytes: bytes.length, truncated };
  }
}

/**
 * A DlqMessage on `etcd.dlq.<source>`. The payload is kept up to `maxPayloadBytes` (UTF-8 text as
 * is, anything else base64). With stream and seq, the dedup id is `dlq:<stream>:<seq>`, so a
 * redelivered bad message is dead-lettered once.
 */
export function dlqMessage(source: string, input: DlqInput, opts: { maxPayloadBytes?: number; now?: Date } = {}): OutboundMessage {
  const reason = input.reason.length > MAX_REASON ? `${input.reason.slice(0, MAX_REASON - 1)}…` : input.reason || '(no reason given)';
  const data = DlqMessageCodec.encode({
    schemaVersion: DLQ_MESSAGE_SCHEMA_VERSION,
    source,
    subject: input.subject.slice(0, 512) || '(none)',
    reason,
    at: (opts.now ?? new Date()).toISOString(),
    ...(input.stream !== undefined ? { stream: input.stream } : {}),
    ...(input.seq !== undefined ? { seq: input.seq } : {}),
    ...(input.deliveries !== undefined ? { deliveries: input.deliveries } : {}),
    payload: boundedPayload(input.payload, opts.maxPayloadBytes ?? DLQ_MAX_PAYLOAD_BYTES),
  });
  const msgId = input.stream !== undefined && input.seq !== undefined ? `dlq:${input.stream}:${input.seq}` : undefined;
  return { subject: dlqSubject(source), data, ...(msgId !== undefined ? { msgId } : {}) };
}

export interface PublishRetryPolicy extends BackoffPolicy {
  /** Give up after this long (from the first attempt); Infinity = until aborted. */
  readonly deadlineMs: number;
}

export const DEFAULT_PUBLISH_RETRY: PublishRetryPolicy = { initialDelayMs: 200, maxDelayMs: 5_000, jitterMs: 100, deadlineMs: 30_000 };

export interface PublishOptions {
  retry?: Partial<PublishRetryPolicy>;
  signal?: AbortSignal;
  logger?: BusLogger;
  /** Timeout of one attempt's acknowledgement; default the JetStream client's. */
  timeoutMs?: number;
}

export interface PublishResult {
  stream: string;
  seq: number;
  /** JetStream already had a message with this dedup id: this publish stored nothing. */
  duplicate: boolean;
  attempts: number;
}

/**
 * Publishes to JetStream and waits for the stream's acknowledgement, retrying transient failures
 * (timeouts, a restarting server, no responders) with backoff until the deadline. A retry of a
 * message with a dedup id cannot store it twice. Throws PublishError when it gives up.
 */
export async function publishMessage(js: JetStreamClient, msg: OutboundMessage, opts: PublishOptions = {}): Promise<PublishResult> {
  const retry = { ...DEFAULT_PUBLISH_RETRY, ...opts.retry };
  const logger = opts.logger ?? silentLogger;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const pa = await js.publish(msg.subject, msg.data, {
        ...(msg.msgId !== undefined ? { msgID: msg.msgId } : {}),
        ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
      });
      return { stream: pa.stream, seq: pa.seq, duplicate: pa.duplicate, attempts: attempt };
    } catch (e) {
      const transient = isTransientNatsError(e);
      const wait = backoffDelay(retry, attempt - 1);
      if (!transient || opts.signal?.aborted || Date.now() - started + wait > retry.deadlineMs) throw new PublishError(msg.subject, attempt, transient, e);
      logger.warn({ subject: msg.subject, msgId: msg.msgId, attempt, retryInMs: wait, err: (e as Error).message }, 'publish failed, retrying');
      if (!(await sleep(wait, opts.signal))) throw new PublishError(msg.subject, attempt, transient, e);
    }
  }
}

/** Publishes a MetricBatch (dedup id = batch.id); `duplicate` tells whether JetStream had it already. */
export function publishBatch(js: JetStreamClient, batch: MetricBatch, opts?: PublishOptions): Promise<PublishResult> {
  return publishMessage(js, batchMessage(batch), opts);
}

/** Publishes a finding transition (dedup id = `<id>:<state>`). */
export function publishFindingEvent(js: JetStreamClient, event: FindingEvent, opts?: PublishOptions): Promise<PublishResult> {
  return publishMessage(js, findingEventMessage(event), opts);
}

/** Publishes a finished Report (dedup id = report.id). */
export function publishReport(js: JetStreamClient, report: Report, opts?: PublishOptions): Promise<PublishResult> {
  return publishMessage(js, reportMessage(report), opts);
}

/** Dead-letters a message on `etcd.dlq.<source>` with the reason. */
export function publishDlq(js: JetStreamClient, source: string, input: DlqInput, opts?: PublishOptions & { maxPayloadBytes?: number }): Promise<PublishResult> {
  return publishMessage(js, dlqMessage(source, input, opts?.maxPayloadBytes !== undefined ? { maxPayloadBytes: opts.maxPayloadBytes } : {}), opts);
}
