import { z } from 'zod';

/** etcd's view of itself over gRPC: members, per-endpoint status and health, alarms. */
export const EtcdMemberSchema = z.object({
  /** uint64 member id as a decimal string, and as hex the way etcdctl prints it. */
  id: z.string(),
  idHex: z.string(),
  name: z.string(),
  peerUrls: z.array(z.string()),
  clientUrls: z.array(z.string()),
  isLearner: z.boolean(),
});
export type EtcdMember = z.infer<typeof EtcdMemberSchema>;

export const EtcdEndpointSchema = z.object({
  endpoint: z.string(),
  memberId: z.string().optional(),
  memberName: z.string().optional(),
  healthy: z.boolean(),
  /** Round trip of a linearizable read, as `etcdctl endpoint health` measures. */
  healthLatencyMs: z.number().optional(),
  error: z.string().optional(),
  version: z.string().optional(),
  dbSize: z.number().optional(),
  dbSizeInUse: z.number().optional(),
  /** The configured backend quota in bytes; only etcd 3.6+ reports it. */
  dbSizeQuota: z.number().optional(),
  /** The leader this endpoint believes in (decimal id); absent when it knows none. */
  leaderId: z.string().optional(),
  raftTerm: z.number().optional(),
  raftIndex: z.number().optional(),
  raftAppliedIndex: z.number().optional(),
  isLearner: z.boolean().optional(),
  errors: z.array(z.string()).optional(),
});
export type EtcdEndpoint = z.infer<typeof EtcdEndpointSchema>;

export const EtcdAlarmSchema = z.object({
  memberId: z.string(),
  memberName: z.string().optional(),
  alarm: z.enum(['NOSPACE', 'CORRUPT', 'NONE']),
});
export type EtcdAlarm = z.infer<typeof EtcdAlarmSchema>;

export const EtcdStatusSchema = z.object({
  members: z.array(EtcdMemberSchema),
  endpoints: z.array(EtcdEndpointSchema),
  alarms: z.array(EtcdAlarmSchema),
  /** The leader most endpoints name; `idHex` is how etcd's logs and etcdctl print it. */
  leader: z.object({ id: z.string(), idHex: z.string().optional(), name: z.string().optional() }).optional(),
  /** Whether every answering endpoint names the same leader. */
  leaderAgreed: z.boolean().optional(),
  /** Largest difference between endpoints' raft indexes. */
  raftIndexSpread: z.number().optional(),
  /** Cluster id in hex, as etcdctl prints it. */
  clusterId: z.string().optional(),
  collectedAt: z.string(),
});
export type EtcdStatus = z.infer<typeof EtcdStatusSchema>;
