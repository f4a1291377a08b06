import { z } from 'zod';
import { EtcdStatusSchema } from './status.ts';
import { LogEventSchema } from './log-event.ts';

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
  logEvents: z.array(LogEventSchema),
  problems: z.array(ProblemSchema),
  stats: z.object({ requests: z.number().int().nonnegative(), wallMs: z.number().nonnegative() }),
});
export type ClusterSnapshot = z.infer<typeof ClusterSnapshotSchema>;
