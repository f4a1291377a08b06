import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { ConfigError, SourceError } from '../../errors/index.ts';
import type { EtcdEndpointTarget } from './endpoint.ts';

/** TLS material for https endpoints; file paths, never the contents, appear in errors. */
export interface EtcdTlsOptions {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Accept any server certificate (lab use only). */
  readonly insecureSkipVerify?: boolean;
}

// Shapes decoded by proto-loader with keepCase, longs as String, enums as String, defaults on.
// uint64/int64 stay decimal strings so that member ids keep all 64 bits.
export interface WireHeader {
  cluster_id: string;
  member_id: string;
  revision: string;
  raft_term: string;
}
export interface WireStatus {
  header: WireHeader | null;
  version: string;
  dbSize: string;
  leader: string;
  raftIndex: string;
  raftTerm: string;
  raftAppliedIndex: string;
  errors: string[];
  dbSizeInUse: string;
  isLearner: boolean;
  storageVersion: string;
  dbSizeQuota: string;
}
export interface WireMember {
  ID: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}
export interface WireMemberList {
  header: WireHeader | null;
  members: WireMember[];
}
export interface WireAlarmMember {
  memberID: string;
  alarm: string;
}
export interface WireAlarmResponse {
  header: WireHeader | null;
  alarms: WireAlarmMember[];
}
export interface WireRange {
  header: WireHeader | null;
  count: string;
}

export type EtcdErrorKind = 'unreachable' | 'timeout' | 'tls' | 'auth' | 'other';

/** A failed etcd call; `kind` maps onto a snapshot Problem kind, `grpcCode` keeps the detail. */
export class EtcdStatusError extends SourceError {
  override name = 'EtcdStatusError';
  readonly kind: EtcdErrorKind;
  readonly grpcCode: number | undefined;
  /** The message without the "etcd: " source prefix, for per-endpoint error fields. */
  readonly detail: string;
  constructor(kind: EtcdErrorKind, message: string, grpcCode?: number, options?: ErrorOptions) {
    super('etcd', message, { kind, ...(grpcCode !== undefined ? { grpcCode } : {}) }, options);
    this.kind = kind;
    this.grpcCode = grpcCode;
    this.detail = message;
  }
}

const TLS_HINT = /certificate|ssl|tls|self[- ]signed|handshake|wrong version number|ERR_TLS|UNABLE_TO_VERIFY|ERR_SSL/i;

/** Turns a gRPC error into an EtcdStatusError with a one-line, secret-free message. */
export function classifyGrpcError(e: unknown, timeoutMs: number): EtcdStatusError {
  if (e instanceof EtcdStatusError) return e;
  const err = e as { code?: number; details?: string; message?: string };
  const code = typeof err.code === 'number' ? err.code : undefined;
  // grpc-js wraps the socket error in boilerplate; keep the part that names the cause.
  const details = (err.details || err.message || String(e))
    .replace(/No connection established\. Last error: (Error: )?/i, '')
    .replace(/\s*Resolution note:.*$/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  const s = grpc.status;
  if (code === s.DEADLINE_EXCEEDED) return new EtcdStatusError('timeout', `no answer within ${timeoutMs} ms`, code, { cause: e });
  if (TLS_HINT.test(details)) return new EtcdStatusError('tls', `TLS failure: ${details}`, code, { cause: e });
  if (code === s.UNAVAILABLE) return new EtcdStatusError('unreachable', `cannot connect: ${details}`, code, { cause: e });
  if (code === s.UNAUTHENTICATED || code === s.PERMISSION_DENIED) return new EtcdStatusError('auth', details, code, { cause: e });
  return new EtcdStatusError('other', details, code, { cause: e });
}

const PROTO_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, arrays: true };
let definition: protoLoader.PackageDefinition | undefined;

function loadDefinition(): protoLoader.PackageDefinition {
  definition ??= protoLoader.loadSync(fileURLToPath(new URL('./etcd-rpc.proto', import.meta.url)), PROTO_OPTIONS);
  return definition;
}

function method(service: string, name: string): protoLoader.MethodDefinition<object, object> {
  const svc = loadDefinition()[`etcdserverpb.${service}`] as protoLoader.ServiceDefinition | undefined;
  const m = svc?.[name];
  if (!m) throw new Error(`etcd-rpc.proto lacks ${service}.${name}`);
  return m;
}

function readTlsFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unreadable';
    throw new ConfigError(`etcd TLS ${what} file "${path}" cannot be read (${code})`, { file: path }, { cause: e });
  }
}

/** Channel credentials for secure endpoints; throws ConfigError naming an unreadable or half-given file. */
export function createTlsCredentials(tls: EtcdTlsOptions | undefined): grpc.ChannelCredentials {
  if (tls?.certFile && !tls.keyFile) throw new ConfigError('etcd TLS: a client certificate needs its key file (keyFile)');
  if (tls?.keyFile && !tls.certFile) throw new ConfigError('etcd TLS: a client key needs its certificate file (certFile)');
  const ca = tls?.caFile ? readTlsFile(tls.caFile, 'CA') : null;
  const cert = tls?.certFile ? readTlsFile(tls.certFile, 'certificate') : null;
  const key = tls?.keyFile ? readTlsFile(tls.keyFile, 'key') : null;
  const verify: grpc.VerifyOptions = tls?.insecureSkipVerify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {};
  return grpc.credentials.createSsl(ca, key, cert, verify);
}

/** One channel to one etcd member, with the four calls the status source makes. */
export interface EtcdConnection {
  readonly endpoint: EtcdEndpointTarget;
  status(): Promise<WireStatus>;
  memberList(): Promise<WireMemberList>;
  alarms(): Promise<WireAlarmResponse>;
  /** A linearizable Range on one key, as `etcdctl endpoint health` does. */
  range(key: string): Promise<WireRange>;
  close(): void;
}

export function connectEtcd(endpoint: EtcdEndpointTarget, credentials: grpc.ChannelCredentials, timeoutMs: number): EtcdConnection {
  const client = new grpc.Client(endpoint.target, credentials, {
    // Fail fast on a dead endpoint rather than retrying for the whole deadline.
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 1000,
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.enable_retries': 0,
  });
  const call = <Res>(service: string, name: string, request: object): Promise<Res> => {
    const m = method(service, name);
    return new Promise<Res>((resolve, reject) => {
      client.makeUnaryRequest(
        m.path,
        m.requestSerialize,
        m.responseDeserialize,
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err, value) => (err || !value ? reject(classifyGrpcError(err ?? new Error('empty answer'), timeoutMs)) : resolve(value as Res)),
      );
    });
  };
  return {
    endpoint,
    status: () => call<WireStatus>('Maintenance', 'Status', {}),
    memberList: () => call<WireMemberList>('Cluster', 'MemberList', { linearizable: false }),
    alarms: () => call<WireAlarmResponse>('Maintenance', 'Alarm', { action: 'GET', memberID: '0', alarm: 'NONE' }),
    range: (key) => call<WireRange>('KV', 'Range', { key: Buffer.from(key), serializable: false, keys_only: true, limit: '1' }),
    close: () => client.close(),
  };
}
