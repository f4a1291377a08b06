import grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/index.ts';
import type { EtcdEndpoint } from '../../schema/index.ts';
import { parseEndpoint, stripUserInfo } from './endpoint.ts';
import { classifyGrpcError, createTlsCredentials, type WireMember, type WireStatus } from './grpc-client.ts';
import { deriveCluster, idToHex, toAlarms, toEndpoint, toMember } from './transform.ts';

// The wire side is covered against a real etcd cluster in test/etcd-status.int.test.ts; these
// cases are the answers a healthy three-member lab does not give (huge ids, split leadership).

/** A member id above 2^53: a JavaScript number would corrupt it. */
const BIG_ID = '10276657743932975437'; // 8e9e05c52164694d, etcd's classic example id
const wireMember = (id: string, name: string, port: number): WireMember => ({
  ID: id,
  name,
  peerURLs: [`http://127.0.0.1:${port + 1}`],
  clientURLs: [`http://127.0.0.1:${port}`],
  isLearner: false,
});
const wireStatus = (memberId: string, leader: string, raftIndex: string): WireStatus => ({
  header: { cluster_id: '14841639068965178418', member_id: memberId, revision: '10', raft_term: '3' },
  version: '3.5.13',
  dbSize: '25000000',
  leader,
  raftIndex,
  raftTerm: '3',
  raftAppliedIndex: raftIndex,
  errors: [],
  dbSizeInUse: '12000000',
  isLearner: false,
  storageVersion: '',
  dbSizeQuota: '0',
});

describe('ids', () => {
  it('keeps all 64 bits and prints hex as etcdctl does (no padding)', () => {
    expect(idToHex(BIG_ID)).toBe('8e9e05c52164694d');
    expect(idToHex('532449680828658432')).toBe('763a429e68ff300');
    expect(toMember(wireMember(BIG_ID, 'etcd-0', 2379))).toMatchObject({ id: BIG_ID, idHex: '8e9e05c52164694d', name: 'etcd-0' });
  });
});

describe('toEndpoint', () => {
  const members = [toMember(wireMember(BIG_ID, 'etcd-0', 2379)), toMember(wireMember('2', 'etcd-1', 2389))];

  it('resolves the member by the id in the answer and converts the numbers', () => {
    const e = toEndpoint({ endpoint: parseEndpoint('127.0.0.1:2379', false), status: wireStatus(BIG_ID, '2', '100'), healthy: true, healthLatencyMs: 3.14159 }, members);
    expect(e).toEqual({
      endpoint: 'http://127.0.0.1:2379',
      memberId: BIG_ID,
      memberName: 'etcd-0',
      healthy: true,
      healthLatencyMs: 3.14,
      version: '3.5.13',
      dbSize: 25_000_000,
      dbSizeInUse: 12_000_000,
      raftTerm: 3,
      raftIndex: 100,
      raftAppliedIndex: 100,
      leaderId: '2',
      isLearner: false,
    });
  });

  it('names a dead endpoint by matching its address to a member client URL', () => {
    const e = toEndpoint({ endpoint: parseEndpoint('http://127.0.0.1:2389', false), statusError: 'cannot connect', healthy: false }, members);
    expect(e).toEqual({ endpoint: 'http://127.0.0.1:2389', memberId: '2', memberName: 'etcd-1', healthy: false, error: 'cannot connect' });
  });
});

describe('deriveCluster', () => {
  const members = [toMember(wireMember('1', 'a', 2379)), toMember(wireMember('2', 'b', 2389)), toMember(wireMember('3', 'c', 2399))];
  const ep = (leaderId: string | undefined, raftIndex: number): EtcdEndpoint => ({ endpoint: 'x', healthy: true, version: '3.4.23', raftIndex, ...(leaderId ? { leaderId } : {}) });

  it('agrees when all answering endpoints name one leader', () => {
    expect(deriveCluster([ep('2', 10), ep('2', 12), { endpoint: 'dead', healthy: false }], members)).toEqual({
      leader: { id: '2', idHex: '2', name: 'b' },
      leaderAgreed: true,
      raftIndexSpread: 2,
    });
  });

  it('takes the majority leader and reports disagreement, including a member that knows none', () => {
    expect(deriveCluster([ep('2', 10), ep('2', 11), ep('3', 4)], members)).toMatchObject({ leader: { id: '2' }, leaderAgreed: false, raftIndexSpread: 7 });
    expect(deriveCluster([ep('2', 10), ep(undefined, 10)], members)).toMatchObject({ leaderAgreed: false });
  });

  it('says nothing when no endpoint answered', () => {
    expect(deriveCluster([{ endpoint: 'dead', healthy: false }], members)).toEqual({});
  });
});

describe('toAlarms', () => {
  it('keeps real alarms with member names', () => {
    const members = [toMember(wireMember(BIG_ID, 'etcd-0', 2379))];
    expect(toAlarms([{ memberID: BIG_ID, alarm: 'NOSPACE' }, { memberID: '9', alarm: 'CORRUPT' }, { memberID: '0', alarm: 'NONE' }], members)).toEqual([
      { memberId: BIG_ID, memberName: 'etcd-0', alarm: 'NOSPACE' },
      { memberId: '9', alarm: 'CORRUPT' },
    ]);
  });
});

describe('parseEndpoint', () => {
  it('accepts etcdctl endpoint forms and picks TLS like etcdctl', () => {
    expect(parseEndpoint('https://etcd-0.example:2379', false)).toEqual({ display: 'https://etcd-0.example:2379', target: 'etcd-0.example:2379', secure: true });
    expect(parseEndpoint('10.0.0.1:2379', false)).toMatchObject({ target: '10.0.0.1:2379', secure: false });
    expect(parseEndpoint('10.0.0.1:2379', true)).toMatchObject({ secure: true });
    expect(parseEndpoint('http://[::1]', false)).toMatchObject({ target: '[::1]:2379' });
    expect(parseEndpoint('unix:///run/etcd.sock', false)).toMatchObject({ target: 'unix:/run/etcd.sock' });
  });

  it('never shows credentials embedded in an endpoint', () => {
    expect(parseEndpoint('https://root:s3cret@10.0.0.1:2379', false).display).toBe('https://10.0.0.1:2379');
    expect(stripUserInfo('root:s3cret@10.0.0.1:2379')).toBe('10.0.0.1:2379');
    let message = '';
    try {
      parseEndpoint('ftp://root:s3cret@host:1', false);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toContain('must use http://');
    expect(message).not.toContain('s3cret');
  });

  it('rejects empty and malformed endpoints', () => {
    expect(() => parseEndpoint(' ', false)).toThrow(/empty/);
    expect(() => parseEndpoint('http://:2379', false)).toThrow(ConfigError);
  });
});

describe('errors', () => {
  it('maps gRPC status codes to problem kinds', () => {
    expect(classifyGrpcError({ code: grpc.status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' }, 1500)).toMatchObject({ kind: 'timeout', detail: 'no answer within 1500 ms' });
    expect(
      classifyGrpcError({ code: grpc.status.UNAVAILABLE, details: 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: ' }, 1),
    ).toMatchObject({ kind: 'unreachable', detail: 'cannot connect: connect ECONNREFUSED 127.0.0.1:1.' });
    expect(classifyGrpcError({ code: grpc.status.UNAVAILABLE, details: 'self-signed certificate in certificate chain' }, 1)).toMatchObject({ kind: 'tls' });
    expect(classifyGrpcError({ code: grpc.status.PERMISSION_DENIED, details: 'etcdserver: permission denied' }, 1)).toMatchObject({ kind: 'auth' });
  });

  it('names an unreadable TLS file and a certificate without its key', () => {
    expect(() => createTlsCredentials({ caFile: '/nonexistent/ca.pem' })).toThrow(/CA file "\/nonexistent\/ca.pem" cannot be read \(ENOENT\)/);
    expect(() => createTlsCredentials({ certFile: '/x/cert.pem' })).toThrow(/needs its key file/);
  });
});
