import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../schema/index.ts';
import { createLogParser } from './parser.ts';
import { parseFixture } from './test-fixtures.ts';

// Peer connection lifecycle: each event names the local member (`member`) and the remote one
// (`peer`), with the evidence etcd gave. Fixtures: zap-3.5-network.log (3.5/3.6 wordings),
// zap-3.4-m1.log and capnslog-3.4-m1.log (captured from 3.4.23: a peer killed, a second one
// killed, both restarted, the first removed, then shutdown), capnslog-2.3.log.
const PEER_KINDS = new Set(['peer-connection-lost', 'peer-connection-restored', 'peer-inactive', 'peer-active', 'peer-rejected', 'peer-unreachable', 'peer-unhealthy', 'connection-rejected', 'sending-buffer-full']);
const peerEvents = (events: LogEvent[]): LogEvent[] => events.filter((e) => PEER_KINDS.has(e.kind));
const brief = (e: LogEvent): Record<string, unknown> => ({ kind: e.kind, member: e.member, peer: e.peer, ...e.detail });

const B = 'b8f4c2d1e0a9f3c7';
const A = '7e2a13f05c9d4b61';
const C = '4f6d8a02b1e3c975';
const X = '5c2d9e7a0b14f386';

describe('peer lifecycle in 3.5/3.6 zap wordings (zap-3.5-network.log)', () => {
  const { events, memberIds } = parseFixture('zap-3.5-network.log');

  it('turns each peer line into an event naming both members, and leaves out what is no news', () => {
    expect(peerEvents(events).map(brief)).toEqual([
      { kind: 'peer-connection-lost', member: 'etcd-b', peer: C, stream: 'stream Message reader', reason: 'lost', error: 'read tcp 10.0.3.11:38948->10.0.3.13:2380: read: connection reset by peer' },
      { kind: 'peer-inactive', member: 'etcd-b', peer: C, action: 'read', stream: 'stream Message', error: 'read tcp 10.0.3.11:38948->10.0.3.13:2380: read: connection reset by peer' },
      { kind: 'peer-connection-lost', member: 'etcd-b', peer: C, stream: 'stream MsgApp v2 writer', reason: 'lost' },
      { kind: 'peer-unhealthy', member: 'etcd-b', peer: C, peerId: C, roundTripper: 'ROUND_TRIPPER_RAFT_MESSAGE', rttMs: 8.803, error: 'dial tcp 10.0.3.13:2380: i/o timeout' },
      { kind: 'peer-unhealthy', member: 'etcd-b', peer: C, peerId: C, roundTripper: 'ROUND_TRIPPER_SNAPSHOT', rttMs: 8.776, error: 'dial tcp 10.0.3.13:2380: i/o timeout' },
      { kind: 'peer-unreachable', member: 'etcd-b', peer: C, address: 'https://10.0.3.13:2380/version', error: 'Get "https://10.0.3.13:2380/version": dial tcp 10.0.3.13:2380: i/o timeout' },
      { kind: 'sending-buffer-full', member: 'etcd-b', peer: C, peerId: C, messageType: 'MsgHeartbeat', peerActive: false },
      expect.objectContaining({ kind: 'peer-rejected', member: 'etcd-b', peer: '10.0.3.13', reason: 'tls', direction: 'inbound', endpoint: 'peer', remoteAddr: '10.0.3.13:51234' }),
      { kind: 'connection-rejected', member: 'etcd-b', peer: '10.0.9.40', endpoint: 'client', remoteAddr: '10.0.9.40:40412', error: 'remote error: tls: bad certificate' },
      { kind: 'peer-rejected', member: 'etcd-b', peer: X, reason: 'cluster-id-mismatch', direction: 'inbound', remoteClusterId: 'aa11bb22cc33dd44', localClusterId: 'cd1f2e3a4b5c6d7e' },
      { kind: 'peer-rejected', member: 'etcd-b', peer: X, reason: 'cluster-id-mismatch', direction: 'outbound', remoteClusterId: 'aa11bb22cc33dd44', localClusterId: 'cd1f2e3a4b5c6d7e' },
      // 08:10:03.556 -> 08:12:40.662 (times read to the millisecond): how long etcd-c was away, from the log itself.
      { kind: 'peer-active', member: 'etcd-b', peer: C, downMs: 157106 },
      { kind: 'peer-connection-restored', member: 'etcd-b', peer: C, stream: 'stream Message reader', downMs: 157107 },
      { kind: 'peer-connection-restored', member: 'etcd-b', peer: C, stream: 'stream MsgApp v2 writer', downMs: 157069 },
      // A new MsgApp connection from etcd-a replaced the old one.
      { kind: 'peer-connection-lost', member: 'etcd-b', peer: A, stream: 'stream MsgApp v2 writer', reason: 'replaced' },
      { kind: 'peer-connection-restored', member: 'etcd-b', peer: A, stream: 'stream MsgApp v2 writer', downMs: 0 },
    ]);
  });

  it('does not count the first connections after start, nor the streams this member closes when it stops its peers', () => {
    const at = (iso: string): number => Date.parse(iso);
    expect(events.filter((e) => at(e.ts) < at('2024-06-10T00:01:00Z') && PEER_KINDS.has(e.kind))).toEqual([]);
    // The shutdown lines from 08:59 (+0800) on: stopping peer, closed, lost and inactive with "context canceled".
    expect(events.filter((e) => at(e.ts) >= at('2024-06-10T00:59:00Z'))).toEqual([]);
    expect(parseFixture('zap-3.5-network.log').counters.events).toBe(21);
  });

  it('knows the local member id, to map peer ids to names', () => {
    expect(memberIds).toEqual({ 'etcd-b': B });
  });
});

describe('peer lifecycle captured from etcd 3.4.23', () => {
  // m1 (ef0f...) sees c088... killed at 13:05:34/13:06:26, cf02... killed ~9 s later, both back at
  // 13:05:48/13:06:40, then c088... removed from the cluster while it still runs.
  const M3 = 'c088ca7f1cdc5e97';
  const M2 = 'cf02caf81ed671d6';

  it.each([
    { file: 'zap-3.4-m1.log', outage: 14341, rejected: 2 },
    { file: 'capnslog-3.4-m1.log', outage: 14249, rejected: 2 },
  ])('$file: one inactive per outage per peer, restored with its length, removal rejections named', ({ file, outage, rejected }) => {
    const { events } = parseFixture(file);
    const firstInactive = events.find((e) => e.kind === 'peer-inactive' && e.peer === M3);
    expect(firstInactive).toMatchObject({ member: 'm1', detail: { action: 'read', stream: 'stream MsgApp v2', error: 'unexpected EOF' } });
    expect(events.find((e) => e.kind === 'peer-active' && e.peer === M3)).toMatchObject({ member: 'm1', detail: { downMs: outage } });
    expect(events.filter((e) => e.kind === 'peer-rejected' && e.peer === M3 && e.detail?.reason === 'removed-member')).toHaveLength(rejected);
    // Four streams per peer (two readers, two writers), each lost once while the peers were down.
    const lostBeforeRestart = events.filter((e) => e.kind === 'peer-connection-lost' && e.ts < events.find((x) => x.kind === 'peer-active')!.ts);
    expect(new Set(lostBeforeRestart.map((e) => `${e.peer} ${e.detail?.stream}`)).size).toBe(lostBeforeRestart.length);
    expect(new Set(lostBeforeRestart.map((e) => e.peer))).toEqual(new Set([M3, M2]));
    expect(events.filter((e) => e.kind === 'peer-unreachable').every((e) => e.peer === M3)).toBe(true);
  });

  it('does not report the peer this member stopped when M3 was removed (context canceled after "stopping peer")', () => {
    const { events } = parseFixture('capnslog-3.4-m1.log');
    const removedAt = '2026-12-02T13:05:54.305Z';
    expect(events.filter((e) => e.peer === M3 && e.ts >= removedAt && e.kind !== 'peer-rejected')).toEqual([]);
  });
});

describe('etcd 2.3 wordings (capnslog-2.3.log)', () => {
  it('reads "the connection with X became inactive/active" with the error-level reason before it as one outage', () => {
    const { events } = parseFixture('capnslog-2.3.log');
    expect(peerEvents(events).map(brief)).toEqual([
      { kind: 'peer-inactive', member: 'infra0', peer: 'fd422379fda50e48', action: 'dial', stream: 'stream MsgApp v2', error: 'dial tcp 10.0.1.12:2380: i/o timeout' },
      { kind: 'peer-unhealthy', member: 'infra0', peer: 'fd422379fda50e48', peerId: 'fd422379fda50e48' },
      { kind: 'peer-inactive', member: 'infra0', peer: '91bc3c398fb3c146', action: 'heartbeat', stream: 'stream Message', error: 'write tcp 10.0.1.10:2380->10.0.1.11:54001: write: broken pipe' },
      { kind: 'peer-active', member: 'infra0', peer: '91bc3c398fb3c146', downMs: 9176 },
      { kind: 'peer-active', member: 'infra0', peer: 'fd422379fda50e48', downMs: 15140 },
      { kind: 'peer-rejected', member: 'infra0', peer: '5a3c1f0e27d98b64', reason: 'removed-member', direction: 'inbound' },
      { kind: 'peer-rejected', member: 'infra0', peer: '5a3c1f0e27d98b64', reason: 'cluster-id-mismatch', direction: 'outbound', remoteClusterId: '9f0d2e4b6a8c1357', localClusterId: 'ef37ad9dc622a7c4' },
    ]);
  });
});

describe('peer ids', () => {
  it('are lower-case hex without leading zeros, as types.ID prints them', () => {
    const p = createLogParser({ member: 'm' });
    const line = '{"level":"warn","ts":"2024-06-10T00:00:00Z","caller":"rafthttp/peer_status.go:66","msg":"peer became inactive (message send to peer failed)","peer-id":"00AB12","error":"failed to dial 00AB12 on stream Message (dial tcp: i/o timeout)"}';
    expect(p.push(line)[0]?.peer).toBe('ab12');
  });

  it('a log that starts mid-run: the first reconnection is news even without its loss', () => {
    const p = createLogParser({ member: 'm' });
    const [e] = p.push('{"level":"info","ts":"2024-06-10T00:00:00Z","caller":"rafthttp/peer_status.go:53","msg":"peer became active","peer-id":"4f6d8a02b1e3c975"}');
    expect(e).toMatchObject({ kind: 'peer-active', peer: '4f6d8a02b1e3c975', member: 'm' });
    expect(e?.detail).toBeUndefined();
  });
});
