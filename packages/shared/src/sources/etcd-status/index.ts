/**
 * @module sources/etcd-status
 * etcd's own view over its v3 gRPC API (3.4, 3.5, 3.6): members, per-endpoint Status and health,
 * alarms, and the leader the endpoints agree on. Loaded on demand: importing it loads gRPC.
 */
export { collectEtcdStatus, type EtcdStatusOptions, type EtcdStatusResult } from './collect-etcd-status.ts';
export { EtcdStatusError, classifyGrpcError, type EtcdErrorKind, type EtcdTlsOptions } from './grpc-client.ts';
export { parseEndpoint, type EtcdEndpointTarget } from './endpoint.ts';
export { idToHex } from './transform.ts';
