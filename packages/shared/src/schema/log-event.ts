import { z } from 'zod';

/**
 * What etcd's logs say happened, one typed event per interesting line. `durationMs` is what the
 * line measured and `expectedMs` the threshold etcd compared it with, when the line says so.
 */
export const LOG_EVENT_KINDS = [
  /** "apply request took too long" on a write or txn; capnslog "request ... took too long", "apply entries took too long". */
  'slow-apply',
  /** A slow apply whose request is a range ("read-only range "): an expensive client read, not a slow disk. */
  'expensive-read',
  /** "waiting for ReadIndex response took too long, retrying": linearizable reads waiting on the leader. */
  'slow-read-index',
  /** WAL "slow fdatasync" (capnslog "sync duration of ..."). */
  'slow-fdatasync',
  /** raft "elected leader" / "became leader" (one event per member and term). */
  'leader-elected',
  /** raft "lost leader": this member has no leader until the next election. */
  'leader-lost',
  /** raft "changed leader from A to B" without a leaderless gap. */
  'leader-changed',
  /** "leader failed to send out heartbeat on time" (capnslog "failed to send out heartbeat on time"). */
  'heartbeat-failure',
  /** "finished scheduled compaction", with how long it took. */
  'compaction',
  /** The NOSPACE alarm was raised, or a request failed with "database space exceeded". */
  'db-space-exceeded',
  /** "request timed out", or a read index that timed out. */
  'request-timeout',
  /** The peer prober could not reach a peer. */
  'peer-unhealthy',
  /** "prober found high clock drift" (capnslog "the clock difference against peer ... is too high"). */
  'clock-skew',
  /** A raft message to a peer was dropped: "sending buffer is full". */
  'sending-buffer-full',
  /** "snapshotting taking too long to transfer". */
  'snapshot-slow',
  /** Any other line at error level or above, and a CORRUPT alarm. */
  'error',
] as const;
export const LogEventKindSchema = z.enum(LOG_EVENT_KINDS);
export type LogEventKind = z.infer<typeof LogEventKindSchema>;

export const LogEventSchema = z.object({
  /** ISO-8601 UTC. */
  ts: z.string(),
  /** From the envelope (pod prefix, journald host), the file path, or the log's own startup line. */
  member: z.string().optional(),
  /** etcd's level, lower case (debug, info, warn, error, ...). */
  level: z.string(),
  kind: LogEventKindSchema,
  /** etcd's message, truncated to 500 characters. */
  message: z.string(),
  durationMs: z.number().optional(),
  expectedMs: z.number().optional(),
  /** Selected fields: request prefix and text, response counts, term, leader and peer ids, error. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** The line as read, truncated. */
  raw: z.string().optional(),
});
export type LogEvent = z.infer<typeof LogEventSchema>;
