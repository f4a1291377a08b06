/**
 * @module sources
 * Adapters that read a cluster: Prometheus/Thanos, direct /metrics scrapes, etcd gRPC status,
 * etcd logs; and `collectSnapshot`, which combines them into one ClusterSnapshot.
 */
export { collectSnapshot, defaultStep, type CollectRequest } from './collect.ts';
export * from './prometheus/index.ts';
export * from './direct/index.ts';
export * from './etcd-status/index.ts';
export * from './logs/index.ts';
export { memberPresence, missingMemberProblems, noDataProblems, type MemberPresence } from './coverage.ts';
