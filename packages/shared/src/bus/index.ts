/**
 * @module bus
 * NATS JetStream adapter: connection, subjects (built and validated here only), streams and
 * durable consumers, codecs validated on both ends, publishers with retry and an outbox, the
 * consume loop with its dead-letter queue, the targets KV bucket and ownership leases.
 * I/O lives here; the payload schemas live in `schema/`.
 */
export { connectBus, closeBus, parseBusConfig, type Bus, type ConnectBusOptions } from './connect.ts';
export {
  SUBJECT_ROOT,
  METRICS_PREFIX,
  FINDINGS_PREFIX,
  REPORTS_PREFIX,
  DLQ_PREFIX,
  AGENT_ASK_SUBJECT,
  CMD_ANALYZE_SUBJECT,
  TOKEN_UNSAFE_CHARS,
  CLUSTER_TOKEN,
  SANITISED_SUFFIX,
  CATEGORY_TOKEN,
  SOURCE_TOKEN,
  MAX_CLUSTER_TOKEN,
  clusterToken,
  metricsSubject,
  findingsSubject,
  reportsSubject,
  dlqSubject,
  metricsFilter,
  findingsFilter,
  reportsFilter,
  dlqFilter,
  parseSubject,
  type SubjectFilter,
  type ParsedSubject,
} from './subjects.ts';
export {
  STREAMS,
  STREAM_CODECS,
  STREAM_DLQ_SOURCE,
  streamConfig,
  parseStreamsConfig,
  parseConsumerConfig,
  ensureStreams,
  ensureConsumer,
  type StreamKey,
  type StreamName,
  type StreamPayloads,
  type EnsureOutcome,
} from './streams.ts';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  createCodec,
  formatIssues,
  MetricBatchCodec,
  FindingEventCodec,
  ReportCodec,
  DlqMessageCodec,
  type Codec,
  type DecodeResult,
} from './codecs.ts';
export {
  DLQ_MAX_PAYLOAD_BYTES,
  DEFAULT_PUBLISH_RETRY,
  batchMessage,
  findingEventMessage,
  reportMessage,
  dlqMessage,
  publishMessage,
  publishBatch,
  publishFindingEvent,
  publishReport,
  publishDlq,
  type OutboundMessage,
  type DlqInput,
  type PublishOptions,
  type PublishResult,
  type PublishRetryPolicy,
} from './publish.ts';
export { createOutbox, type Outbox, type OutboxOptions, type OutboxStats } from './outbox.ts';
export { consumeDurable, type ConsumeDurableOptions, type ConsumeStats, type DurableConsumer, type DurableHandler, type MessageMeta } from './consume.ts';
export { TARGETS_BUCKET, TARGET_RECORD_SCHEMA_VERSION, openTargets, targetKey, type TargetEvent, type TargetsStore } from './targets-kv.ts';
export { LEASES_BUCKET, openLeases, type Lease, type LeaseResult, type Leases } from './leases.ts';
export { KV_KEY, openBucket, type BucketOptions } from './kv-bucket.ts';
export { BusError, InvalidSubjectTokenError, MessageTooLargeError, PublishError, isBusError, isTransientNatsError, isConnectionClosedError } from './errors.ts';
export { silentLogger, redactUrl, type BusLogger } from './logger.ts';
export { backoffDelay, sleep, type BackoffPolicy } from './retry.ts';
export { followStream, type FollowFrom, type FollowOptions, type Followed } from './follow.ts';
