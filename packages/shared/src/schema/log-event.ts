import { z } from 'zod';

/**
 * What etcd's logs say happened, one typed event per interesting line. `durationMs` is what the
 * line measured and `expectedMs` the threshold etcd compared it with, when the line says so.
 * Each comment names the etcd lines that map to the kind (zap message / capnslog wording).
 */
export const LOG_EVENT_KINDS = [
  /** "apply request took too long" on a write or txn; capnslog "request ... took too long", "apply entries took too long". */
  'slow-apply',
  /** A slow apply whose request is a range ("read-only range "): an expensive client read, not a slow disk. */
  'expensive-read',
  /**
   * Linearizable reads waiting on the leader: "waiting for ReadIndex response took too long, retrying"
   * (duration: its retry-timeout), "ignored out-of-date read index response", and "timed out waiting
   * for read index response" (3.1+, duration: the request timeout).
   */
  'slow-read-index',
  /** WAL "slow fdatasync" (capnslog "sync duration of ..."). */
  'slow-fdatasync',
  /** raft "elected leader" / "became leader" (one event per member stream and term). */
  'leader-elected',
  /**
   * raft "lost leader": this member has no leader until the next election; also "stepped down to
   * follower since quorum is not active" (a leader that lost contact with a majority, one event
   * with the "lost leader" line that follows it).
   */
  'leader-lost',
  /** raft "changed leader from A to B" without a leaderless gap. */
  'leader-changed',
  /**
   * "leader failed to send out heartbeat on time" (capnslog "failed to send out heartbeat on time
   * (exceeded the ... timeout for ...)", 2.3 "(deadline exceeded for ...)").
   */
  'heartbeat-failure',
  /** "finished scheduled compaction", with how long it took. */
  'compaction',
  /**
   * One defragmentation of the backend: "defragmented" (3.4) / "finished defragmenting directory"
   * (3.5+) with took and sizes, paired with "defragmenting" for the sizes before; capnslog "starting
   * to defragment the storage backend..." / "finished defragmenting the storage backend" (duration
   * from their times); "failed to defragment" (detail.error).
   */
  'defrag',
  /** The NOSPACE alarm was raised, or a request failed with "database space exceeded" (duration: its `took`). */
  'db-space-exceeded',
  /** "request timed out" in a message or error. */
  'request-timeout',
  /**
   * The peer prober could not reach a peer: "prober detected unhealthy status", capnslog "health
   * check for peer X could not connect", 3.0 "health check for peer X failed", 2.3 "the connection
   * to peer X is unhealthy".
   */
  'peer-unhealthy',
  /**
   * A stream connection to a peer broke: "lost TCP streaming connection with remote peer", "closed
   * TCP streaming connection with remote peer" when a new one replaced it (capnslog "lost the TCP
   * streaming connection with peer X (...)", "closed an existing TCP streaming connection ...").
   * Not when this member itself stopped the peer (shutdown, member removal).
   */
  'peer-connection-lost',
  /**
   * "established TCP streaming connection with remote peer" (capnslog "established a TCP streaming
   * connection with peer X (...)") after the stream was lost; detail.downMs when the loss is in the
   * log. The first connection after a member starts is not an event.
   */
  'peer-connection-restored',
  /**
   * "peer became inactive (message send to peer failed)"; capnslog's error-level "failed to dial X
   * on stream Message (...)" (also read, write, heartbeat, post) with the "peer X became inactive"
   * after it as one event; 2.3 "the connection with X became inactive".
   */
  'peer-inactive',
  /**
   * "peer became active" (capnslog "peer X became active", 2.3 "the connection with X became
   * active") after the peer was inactive; detail.downMs when the outage is in the log.
   */
  'peer-active',
  /**
   * A peer's stream or connection refused by one side: "rejected stream from remote peer because it
   * was removed" (capnslog "rejected the stream from peer X since it was removed"), "failed to find
   * remote peer in cluster", "request cluster ID mismatch", "failed to check version
   * compatibility", "ignored streaming request; ID mismatch", "request sent was ignored by remote
   * peer due to ...", and "rejected connection on peer endpoint" (TLS, 3.5+). detail.reason says which.
   */
  'peer-rejected',
  /** "failed to reach the peer URL" (capnslog "failed to reach the peerURL(U) of member X (...)"). */
  'peer-unreachable',
  /**
   * A TLS handshake refused on the client endpoint ("rejected connection on client endpoint", 3.5+)
   * or on an endpoint the line does not name (3.4 "rejected connection", capnslog "rejected
   * connection from ..."): a client or a peer with a bad certificate.
   */
  'connection-rejected',
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
  /** The local member: from the envelope (pod prefix, journald host), the file path, or the log's own startup line. */
  member: z.string().optional(),
  /**
   * The remote member the line is about, as the line names it: a hex member id (lower case, no
   * leading zeros, as etcd's types.ID prints it), a name, or a peer address (host, without the
   * connection's ephemeral port).
   */
  peer: z.string().optional(),
  /** etcd's level, lower case (debug, info, warn, error, ...). */
  level: z.string(),
  kind: LogEventKindSchema,
  /** etcd's message, truncated to 500 characters. */
  message: z.string(),
  durationMs: z.number().optional(),
  expectedMs: z.number().optional(),
  /** Selected fields: request prefix and text, response counts, term, leader and peer ids, sizes, error. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** The line as read, truncated. */
  raw: z.string().optional(),
});
export type LogEvent = z.infer<typeof LogEventSchema>;
