/**
 * @module sources
 * Adapters that read a cluster, and `collectSnapshot`, which combines them into one
 * ClusterSnapshot. The direct, etcd-status and logs adapters have their own subpaths
 * (`@etcd-analyzer/shared/sources/direct`, `/etcd-status`, `/logs`) and are loaded on demand, so
 * that a command pays for gRPC only when it talks to etcd.
 */
export { assembleSnapshot, collectFrom, collectSnapshot, defaultStep, parseCollectRequest, planWindow, requestedMetrics, type CollectOptions, type CollectRequest, type CollectRequestInput } from './collect.ts';
export { createSources, SOURCES } from './registry.ts';
export type { MetricSource, SourceCallOptions, SourceKind, SourceResult, SourceWindow } from './source.ts';
export * from './prometheus/index.ts';
export type { DirectTarget } from './direct/index.ts';
export type { EtcdTlsOptions } from './etcd-status/index.ts';
export { memberPresence, missingMemberProblems, noDataProblems, type MemberPresence } from './coverage.ts';
export { redactUrl } from './http/index.ts';
