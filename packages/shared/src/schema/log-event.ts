import { z } from 'zod';

/** What etcd's logs say happened, one typed event per interesting line. */
export const LOG_EVENT_KINDS = [
  'slow-apply',
  'expensive-read',
  'slow-read-index',
  'slow-fdatasync',
  'leader-elected',
  'leader-lost',
  'leader-changed',
  'heartbeat-failure',
  'compaction',
  'db-space-exceeded',
  'request-timeout',
  'peer-unhealthy',
  'clock-skew',
  'sending-buffer-full',
  'snapshot-slow',
  'error',
] as const;
export const LogEventKindSchema = z.enum(LOG_EVENT_KINDS);
export type LogEventKind = z.infer<typeof LogEventKindSchema>;

export const LogEventSchema = z.object({
  ts: z.string(),
  member: z.string().optional(),
  level: z.string(),
  kind: LogEventKindSchema,
  message: z.string(),
  durationMs: z.number().optional(),
  expectedMs: z.number().optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  raw: z.string().optional(),
});
export type LogEvent = z.infer<typeof LogEventSchema>;
