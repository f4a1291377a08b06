import { z } from 'zod';
import { FindingSchema, RootCauseSchema } from './report.ts';

export const FINDING_EVENT_SCHEMA_VERSION = 1;

/**
 * A finding's lifecycle: pending (the condition holds, its hold time not yet met), firing,
 * resolved. One episode has one id, deterministic from (cluster, rule, entity, episode start),
 * so redeliveries and several analyzers never fire it twice; each transition is published once
 * on `etcd.findings.<cluster>.<severity>.<category>` with `Nats-Msg-Id` = `<id>:<state>`.
 */
export const FindingStateSchema = z.enum(['pending', 'firing', 'resolved']);
export type FindingState = z.infer<typeof FindingStateSchema>;

export const FindingEventSchema = z.object({
  schemaVersion: z.literal(FINDING_EVENT_SCHEMA_VERSION),
  /** The episode's id: stable across its pending, firing and resolved events. */
  id: z.string().min(1).max(300),
  cluster: z.string().min(1).max(200),
  state: FindingStateSchema,
  /** When the condition started to hold (the episode's start). */
  since: z.string(),
  /** When this transition happened (data time, not wall time). */
  at: z.string(),
  finding: FindingSchema,
  /** The ranked causes that explain it, as in the one-shot report (firing events). */
  rootCauses: z.array(RootCauseSchema),
});
export type FindingEvent = z.infer<typeof FindingEventSchema>;
