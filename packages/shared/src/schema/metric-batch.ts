import { z } from 'zod';
import { LogEventSchema } from './log-event.ts';
import { LogSummarySchema, MemberRefSchema, ProblemSchema, SeriesSchema } from './snapshot.ts';
import { EtcdStatusSchema } from './status.ts';

export const METRIC_BATCH_SCHEMA_VERSION = 1;

/**
 * One collector tick of one cluster, for one catalog category (`etcd.metrics.<cluster>.<category>`)
 * or for etcd's status (`status`) or logs (`logs`). The id is deterministic (cluster, category,
 * window), so a republished tick is deduplicated by JetStream (`Nats-Msg-Id`) and by storage.
 * A source that failed is a problem in the batch, never a missing batch.
 */
export const MetricBatchSchema = z.object({
  schemaVersion: z.literal(METRIC_BATCH_SCHEMA_VERSION),
  id: z.string().min(1).max(200),
  cluster: z.string().min(1).max(200),
  category: z.string().min(1).max(64),
  /** The tick that produced the batch; several batches (one per category) share it. */
  tickId: z.string().min(1).max(200),
  /** How many batches the tick produced, so a consumer knows when it has all of them. */
  tickBatches: z.number().int().positive(),
  collectedAt: z.string(),
  source: z.enum(['prometheus', 'direct', 'none']),
  /** Only samples inside (start, end] are new: each tick collects what is new since the last. */
  window: z.object({ start: z.string(), end: z.string(), stepSeconds: z.number().positive() }),
  members: z.array(MemberRefSchema),
  nodes: z.array(z.string()),
  series: z.array(SeriesSchema),
  status: EtcdStatusSchema.nullable().optional(),
  logEvents: z.array(LogEventSchema).optional(),
  logs: LogSummarySchema.optional(),
  problems: z.array(ProblemSchema),
});
export type MetricBatch = z.infer<typeof MetricBatchSchema>;
