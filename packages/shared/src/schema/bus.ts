import { z } from 'zod';

/**
 * The bus's own messages and config: the NATS connection, stream retention, durable consumers,
 * and the dead-letter record. Durations are milliseconds, sizes bytes.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** `nats://host:port`, `tls://host:port`, `ws(s)://…` or a bare `host:port`. */
const ServerUrlSchema = z
  .string()
  .min(1)
  .regex(/^((nats|tls|ws|wss):\/\/)?[^\s/]+(:\d{1,5})?\/?$/, 'expected nats://host:port or host:port');

export const ReconnectConfigSchema = z
  .object({
    /** First wait after a lost connection; doubles per attempt up to `maxDelayMs`. */
    initialDelayMs: z.number().int().min(10).default(250),
    maxDelayMs: z.number().int().min(10).default(5_000),
    /** Up to this much random delay is added to each wait, so a fleet does not reconnect in step. */
    jitterMs: z.number().int().min(0).default(250),
  })
  .strict();

/**
 * How to reach NATS. Credentials (password, token, creds file) are used to connect and never
 * logged; server URLs are logged with any user:password part removed.
 */
export const BusConnectionConfigSchema = z
  .object({
    /** One URL, a comma-separated list, or an array. */
    servers: z
      .union([z.string(), z.array(z.string())])
      .transform((s) => (typeof s === 'string' ? s.split(',').map((x) => x.trim()) : s))
      .pipe(z.array(ServerUrlSchema).min(1)),
    /** The client name the server shows in its monitoring pages. */
    name: z.string().min(1).max(128).default('etcd-analyzer'),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    token: z.string().min(1).optional(),
    /** A NATS `.creds` file (JWT + nkey seed). */
    credsFile: z.string().min(1).optional(),
    /** Timeout of one connection attempt. */
    connectTimeoutMs: z.number().int().min(100).default(5_000),
    /** Give up on the first connection after this long; 0 = keep trying until aborted. */
    firstConnectDeadlineMs: z.number().int().min(0).default(0),
    reconnect: ReconnectConfigSchema.default({ initialDelayMs: 250, maxDelayMs: 5_000, jitterMs: 250 }),
    /** Timeout of one JetStream API call or publish acknowledgement. */
    requestTimeoutMs: z.number().int().min(100).default(5_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.password !== undefined && c.user === undefined) ctx.addIssue({ code: 'custom', path: ['user'], message: 'password is set but user is not' });
    if (c.user !== undefined && c.password === undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: 'user is set but password is not' });
    const methods = [c.user !== undefined, c.token !== undefined, c.credsFile !== undefined].filter(Boolean).length;
    if (methods > 1) ctx.addIssue({ code: 'custom', path: ['token'], message: 'choose one of user/password, token or credsFile' });
  });
export type BusConnectionConfig = z.infer<typeof BusConnectionConfigSchema>;
export type BusConnectionConfigInput = z.input<typeof BusConnectionConfigSchema>;

interface StreamDefaults {
  maxAgeMs: number;
  maxBytes: number;
  duplicateWindowMs: number;
}

const StreamLimitsSchema = (d: StreamDefaults, min: { maxAgeMs?: number; duplicateWindowMs?: number } = {}) =>
  z
    .object({
      maxAgeMs: z.number().int().min(min.maxAgeMs ?? 1_000).default(d.maxAgeMs),
      maxBytes: z.number().int().min(MiB).default(d.maxBytes),
      /** Publishes with a `Nats-Msg-Id` seen within this window are dropped as duplicates. */
      duplicateWindowMs: z.number().int().min(min.duplicateWindowMs ?? 1_000).default(d.duplicateWindowMs),
    })
    .strict()
    .refine((s) => s.duplicateWindowMs <= s.maxAgeMs, { path: ['duplicateWindowMs'], message: 'must not exceed maxAgeMs' })
    .default(d);

/**
 * Retention of the four streams. Metrics dedup at least 2 minutes (a collector's retries);
 * findings are kept at least an hour so a late subscriber can replay it, and dedup an hour so an
 * analyzer restarted after a crash does not publish a transition twice.
 */
export const BusStreamsConfigSchema = z
  .object({
    /** Replicas per stream (1 on a single server; 3 on a cluster). */
    replicas: z.number().int().min(1).max(5).default(1),
    metrics: StreamLimitsSchema({ maxAgeMs: DAY, maxBytes: GiB, duplicateWindowMs: 2 * MINUTE }, { duplicateWindowMs: 2 * MINUTE }),
    findings: StreamLimitsSchema({ maxAgeMs: 7 * DAY, maxBytes: 512 * MiB, duplicateWindowMs: HOUR }, { maxAgeMs: HOUR }),
    reports: StreamLimitsSchema({ maxAgeMs: 7 * DAY, maxBytes: 512 * MiB, duplicateWindowMs: 10 * MINUTE }),
    dlq: StreamLimitsSchema({ maxAgeMs: 7 * DAY, maxBytes: 256 * MiB, duplicateWindowMs: 10 * MINUTE }),
  })
  .strict();
export type BusStreamsConfig = z.infer<typeof BusStreamsConfigSchema>;
export type BusStreamsConfigInput = z.input<typeof BusStreamsConfigSchema>;

/** A durable pull consumer: explicit ack, redelivery after `ackWaitMs`, at most `maxDeliver` tries. */
export const DurableConsumerConfigSchema = z
  .object({
    durable: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (1-64)'),
    /** Only these subjects (default: the whole stream). */
    filterSubject: z.string().min(1).optional(),
    ackWaitMs: z.number().int().min(1_000).default(30_000),
    /** Tries before a failing message goes to the DLQ; -1 = unlimited. */
    maxDeliver: z.number().int().min(-1).refine((n) => n !== 0, 'must not be 0').default(10),
    maxAckPending: z.number().int().min(1).default(1_000),
    /** Where a new consumer starts: every stored message, or only new ones. */
    deliverPolicy: z.enum(['all', 'new']).default('all'),
  })
  .strict();
export type DurableConsumerConfig = z.infer<typeof DurableConsumerConfigSchema>;
export type DurableConsumerConfigInput = z.input<typeof DurableConsumerConfigSchema>;

export const DLQ_MESSAGE_SCHEMA_VERSION = 1;

/**
 * A message that failed validation (or failed its handler `maxDeliver` times), on
 * `etcd.dlq.<source>`. The payload is kept up to a bound; `stream`/`seq` point at the original,
 * which stays in its stream until its retention ends.
 */
export const DlqMessageSchema = z.object({
  schemaVersion: z.literal(DLQ_MESSAGE_SCHEMA_VERSION),
  /** Which consumer rejected it: metrics, findings, reports, agent, cmd, … */
  source: z.string().min(1).max(64),
  /** The subject the message arrived on. */
  subject: z.string().min(1).max(512),
  /** Why: the failing paths, or the handler's error. */
  reason: z.string().min(1).max(4_000),
  at: z.string(),
  stream: z.string().optional(),
  seq: z.number().int().nonnegative().optional(),
  deliveries: z.number().int().nonnegative().optional(),
  payload: z.object({
    /** utf8 when the bytes are UTF-8 text, else base64. */
    encoding: z.enum(['utf8', 'base64']),
    data: z.string(),
    /** Size of the original payload. */
    bytes: z.number().int().nonnegative(),
    truncated: z.boolean(),
  }),
});
export type DlqMessage = z.infer<typeof DlqMessageSchema>;
