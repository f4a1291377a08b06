import { z } from 'zod';
import { EtcdStatusSchema } from './status.ts';
import { LogEventKindSchema, LogEventSchema } from './log-event.ts';

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** [unix seconds, value]; a missing scrape is a gap, never a zero. */
export const PointSchema = z.tuple([z.number(), z.number()]);

export const SummarySchema = z.object({
  count: z.number().int().nonnegative(),
  min: z.number(),
  avg: z.number(),
  p50: z.number(),
  p99: z.number(),
  max: z.number(),
  last: z.number(),
  /** Unix seconds of the last sample. */
  lastAt: z.number(),
});
export type Summary = z.infer<typeof SummarySchema>;

export const SeriesSchema = z.object({
  metric: z.string(),
  scope: z.enum(['member', 'node', 'cluster']),
  /** Member name, node name, or "cluster". */
  entity: z.string(),
  /** Labels the metric keeps besides the entity (e.g. `To`, the peer of a per-peer series). */
  labels: z.record(z.string(), z.string()).optional(),
  unit: z.string(),
  points: z.array(PointSchema),
  /** Share of the expected samples present (0..1); low coverage means the entity vanished. */
  coverage: z.number().min(0).max(1),
  summary: SummarySchema.nullable(),
});
export type Series = z.infer<typeof SeriesSchema>;

export const ProblemSchema = z.object({
  source: z.enum(['prometheus', 'direct', 'etcd', 'logs', 'config']),
  kind: z.enum(['unreachable', 'http', 'promql', 'malformed', 'timeout', 'no-data', 'member-missing', 'partial', 'auth', 'tls', 'other']),
  message: z.string(),
  metric: z.string().optional(),
  /** Every catalog metric the problem touches, when it is more than one (a batched query). */
  metrics: z.array(z.string()).optional(),
  entity: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const MemberRefSchema = z.object({
  name: z.string(),
  node: z.string().optional(),
  /** Whether the member produced data at the end of the window. */
  present: z.boolean(),
  /** Share of the window the member was up (0..1), when known. */
  upRatio: z.number().min(0).max(1).optional(),
});

/** What the log files held, counted in full although only a sample of events is kept. */
export const LogSummarySchema = z.object({
  /** Exact counts of events inside the window, per member and kind. */
  counts: z.array(z.object({ member: z.string().nullable(), kind: LogEventKindSchema, count: z.number().int().nonnegative(), firstTs: z.string(), lastTs: z.string(), maxDurationMs: z.number().optional() })),
  /** Per file: every line accounted for (events, ordinary etcd lines, lines of an unknown format). */
  files: z.array(
    z.object({
      file: z.string(),
      formats: z.array(z.string()),
      lines: z.number().int().nonnegative(),
      events: z.number().int().nonnegative(),
      ordinary: z.number().int().nonnegative(),
      unknown: z.number().int().nonnegative(),
      unknownExample: z.string().optional(),
      outsideWindow: z.number().int().nonnegative(),
      firstTs: z.string().optional(),
      lastTs: z.string().optional(),
      undated: z.number().int().nonnegative().optional(),
      truncated: z.number().int().nonnegative().optional(),
    }),
  ),
  /** Events outside the window: counted, never judged. */
  outsideWindow: z.object({ before: z.number().int().nonnegative(), after: z.number().int().nonnegative() }),
  /** Member name -> its id in hex, as the logs name it. */
  memberIds: z.record(z.string(), z.string()).optional(),
  /** Events kept per member and kind (the rest are counted only). */
  samplePerKind: z.number().int().positive(),
});
export type LogSummary = z.infer<typeof LogSummarySchema>;

export const ClusterSnapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  cluster: z.string(),
  source: z.enum(['prometheus', 'direct', 'none']),
  collectedAt: z.string(),
  window: z.object({ start: z.string(), end: z.string(), stepSeconds: z.number().positive() }),
  members: z.array(MemberRefSchema),
  nodes: z.array(z.string()),
  series: z.array(SeriesSchema),
  status: EtcdStatusSchema.nullable(),
  /** A bounded sample of log events inside the window (see `logs.counts` for the totals). */
  logEvents: z.array(LogEventSchema),
  logs: LogSummarySchema.optional(),
  problems: z.array(ProblemSchema),
  stats: z.object({ requests: z.number().int().nonnegative(), wallMs: z.number().nonnegative() }),
});
export type ClusterSnapshot = z.infer<typeof ClusterSnapshotSchema>;
