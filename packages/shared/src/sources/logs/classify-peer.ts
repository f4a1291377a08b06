import { detail, dur, event, hostOf, memberId, str, type ClassifyContext, type Detail, type Fields, type Reading, type Rule } from './reading.ts';

/**
 * The network between members as rafthttp sees it: stream connections lost, replaced and
 * re-established; a peer turning inactive and active; streams and connections refused; the
 * prober's health and clock checks; version checks that cannot reach a peer. Strings are from
 * rafthttp/{stream,peer,peer_status,http,probing_status,transport}.go, etcdserver/cluster_util.go
 * and embed/config_logging.go (config.go before 3.4) of etcd 2.3 to 3.6.
 *
 * Each event names the remote member in `peer`; the local member is the stream the line is in.
 * Whether a line is news (a reconnection, or the first connection after start; a loss, or a
 * stream this member stopped itself) is decided with the lines before it, in member-stream.ts.
 */

/**
 * `failed to dial 63b7... on stream MsgApp v2 (dial tcp ...: i/o timeout)`, peer_status.go's
 * deactivation reason. The stream name has no parentheses, so the reason starts at the first one
 * (a lazy `.+?` there would retry the tail at every " (" of a long line).
 */
const FAILURE = /^failed to (\w+) ([0-9a-f]+) on ([^()]+?) \((.*)\)$/s;

function failure(text: string | undefined): Detail {
  const m = text ? FAILURE.exec(text) : null;
  return m ? { action: m[1] as string, stream: m[3] as string, error: str(m[4]) as string } : text ? { error: str(text) as string } : {};
}

/** zap stream lines name the stream type in one of two fields; the role tells the two connections apart. */
function zapStream(f: Fields): string | undefined {
  if (typeof f['stream-writer-type'] === 'string') return `${f['stream-writer-type']} writer`;
  if (typeof f['stream-reader-type'] === 'string') return `${f['stream-reader-type']} reader`;
  return undefined;
}

const lost = (peer: string | undefined, stream: string | undefined, reason: string, error?: unknown): Reading =>
  event('peer-connection-lost', { peer, detail: detail({ stream, reason, error: str(error) }) });

const rejected = (peer: string | undefined, reason: string, direction: 'inbound' | 'outbound', more: Record<string, unknown> = {}): Reading =>
  event('peer-rejected', { peer, detail: detail({ reason, direction, ...more }) });

function tlsRejected(endpoint: 'peer' | 'client' | undefined): Rule {
  return (_m, f) => {
    const d = detail({ endpoint, remoteAddr: f['remote-addr'], serverName: f['server-name'], error: f.error });
    return event(endpoint === 'peer' ? 'peer-rejected' : 'connection-rejected', { peer: hostOf(f['remote-addr']), detail: endpoint === 'peer' ? { reason: 'tls', direction: 'inbound', ...d } : d });
  };
}

export const PEER_EXACT: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['starting remote peer', (_m, f) => peerSignal('peer-start', f['remote-peer-id'])],
  ['stopping remote peer', (_m, f) => peerSignal('peer-stop', f['remote-peer-id'])],
  ['lost TCP streaming connection with remote peer', (_m, f) => lost(memberId(f['remote-peer-id']), zapStream(f), 'lost', f.error)],
  // The writer logs this both when a new connection replaces the old one (with local-member-id)
  // and when it stops (without): only the first is news.
  ['closed TCP streaming connection with remote peer', (_m, f) => (f['local-member-id'] === undefined ? undefined : lost(memberId(f['remote-peer-id']), zapStream(f), 'replaced'))],
  ['established TCP streaming connection with remote peer', (_m, f) => event('peer-connection-restored', { peer: memberId(f['remote-peer-id']), detail: detail({ stream: zapStream(f) }) })],
  ['peer became inactive (message send to peer failed)', (_m, f) => event('peer-inactive', { peer: memberId(f['peer-id']), detail: detail(failure(str(f.error))) })],
  ['peer became active', (_m, f) => event('peer-active', { peer: memberId(f['peer-id']) })],
  ['rejected stream from remote peer because it was removed', (_m, f) => rejected(memberId(f['remote-peer-id-from']), 'removed-member', 'inbound')],
  ['failed to find remote peer in cluster', (_m, f) => rejected(memberId(f['remote-peer-id-from']), 'unknown-member', 'inbound', { clusterId: f['cluster-id'] })],
  ['ignored streaming request; ID mismatch', (_m, f) => rejected(memberId(f['remote-peer-id-from']), 'id-mismatch', 'inbound', { addressedTo: f['remote-peer-id-header'] })],
  [
    'request cluster ID mismatch',
    (_m, f) => rejected(memberId(f['remote-peer-server-name']), 'cluster-id-mismatch', 'inbound', { remoteClusterId: f['remote-peer-cluster-id'], localClusterId: f['local-member-cluster-id'] }),
  ],
  [
    'failed to check version compatibility',
    (_m, f) => rejected(memberId(f['remote-peer-server-name']), 'version-incompatible', 'inbound', { remoteVersion: f['remote-peer-server-version'], error: f.error }),
  ],
  ['request sent was ignored by remote peer due to server version incompatibility', (_m, f) => rejected(memberId(f['remote-peer-id']), 'version-incompatible', 'outbound')],
  [
    'request sent was ignored by remote peer due to cluster ID mismatch',
    (_m, f) => rejected(memberId(f['remote-peer-id']), 'cluster-id-mismatch', 'outbound', { remoteClusterId: f['remote-peer-cluster-id'], localClusterId: f['local-member-cluster-id'] }),
  ],
  ['rejected connection on peer endpoint', tlsRejected('peer')],
  ['rejected connection on client endpoint', tlsRejected('client')],
  ['rejected connection', tlsRejected(undefined)],
  [
    'failed to reach the peer URL',
    (_m, f) => event('peer-unreachable', { peer: memberId(f['remote-member-id']), detail: detail({ address: f.address, error: f.error }) }),
  ],
  [
    'prober detected unhealthy status',
    (_m, f, _r, ctx) =>
      event('peer-unhealthy', { peer: memberId(f['remote-peer-id']), detail: detail({ peerId: f['remote-peer-id'], roundTripper: f['round-tripper-name'], rttMs: dur(f.rtt, ctx), error: f.error }) }),
  ],
  ['prober found high clock drift', clockDrift],
  // 3.4-3.6 peer.go and remote.go; 3.6 drops the "(overloaded network)" from one of them.
  ['dropped internal Raft message since sending buffer is full (overloaded network)', bufferFull],
  ['dropped Raft message since sending buffer is full (overloaded network)', bufferFull],
  ['dropped internal Raft message since sending buffer is full', bufferFull],
]);

function bufferFull(_m: string, f: Fields): Reading {
  return event('sending-buffer-full', { peer: memberId(f['remote-peer-id']), detail: detail({ peerId: f['remote-peer-id'], messageType: f['message-type'], peerActive: f['remote-peer-active'] }) });
}

function peerSignal(signal: 'peer-start' | 'peer-stop', id: unknown): Reading | undefined {
  const peer = memberId(id);
  return peer ? { signal, peer } : undefined;
}

function clockDrift(_m: string, f: Fields, _r: unknown, ctx: ClassifyContext): Reading {
  // Some 3.4/3.5 releases swapped the two fields; the drift is the larger one (it exceeds 1 s).
  const a = dur(f['clock-drift'], ctx);
  const b = dur(f.rtt, ctx);
  const drift = a !== undefined && b !== undefined ? Math.max(a, b) : (a ?? b);
  return event('clock-skew', { durationMs: drift, expectedMs: 1000, peer: memberId(f['remote-peer-id']), detail: detail({ peerId: f['remote-peer-id'], roundTripper: f['round-tripper-name'] }) });
}

const C_LOST = /^lost the TCP streaming connection with peer ([0-9a-f]+) \((.+)\)$/;
const C_REPLACED = /^closed an existing TCP streaming connection with peer ([0-9a-f]+) \((.+)\)$/;
const C_ESTABLISHED = /^established a TCP streaming connection with peer ([0-9a-f]+) \((.+)\)$/;
const C_PEER_STATE = /^(?:peer|the connection with) ([0-9a-f]+) became (inactive|active)/;
const C_START_STOP = /^(starting|stopping) peer ([0-9a-f]+)\.\.\./;
const C_REMOVED = /^rejected the stream from peer ([0-9a-f]+) since it was removed/;
const C_UNKNOWN = /^failed to find member ([0-9a-f]+) in cluster (\S+)/;
const C_ID_MISMATCH = /^streaming request ignored \(ID mismatch got (\S+) want (\S+)\)/;
const C_CID_IN = /^request cluster ID mismatch \(got (\S+) want (\S+)\)/;
const C_VERSION_IN = /^request version incompatibility \((.*)\)$/;
const C_VERSION_OUT = /^request sent was ignored by peer ([0-9a-f]+) \(server version incompatible\)/;
const C_CID_OUT = /^request sent was ignored \(cluster ID mismatch: (?:peer|remote)\[([0-9a-f]+)\]=(\S*), local=(\S+)\)/;
// 3.2.x-3.4: `(error %q, ServerName %q[, IPAddresses %q, DNSNames %q])`; v3.2.5-3.2.7: `(%v)`.
const C_TLS = /^rejected connection from "([^"]*)" \((?:error "((?:[^"\\]|\\.)*)", ServerName "([^"]*)"|(.*)\)$)/s;
const C_UNREACHABLE = /^failed to reach the peerURL\((\S+?)\) of member ([0-9a-f]+) \((.*)\)$/s;
const C_HEALTH = /^health check for peer ([0-9a-f]+) (?:could not connect: (.*?)(?: \(prober "(\w+)"\))?|failed)$/s;
const C_UNHEALTHY_2_3 = /^the connection to peer ([0-9a-f]+) is unhealthy/;
const C_CLOCK = /^the clock difference against peer ([0-9a-f]+) is too high \[(\S+) > (\S+)\]/;
const C_BUFFER = /^dropped internal raft message to ([0-9a-f]+) since (?:(\S+)'s )?sending buffer is full/;
const NS: ClassifyContext = { integerDurations: 'ns' };

/** capnslog wordings (2.3-3.4), each gated by a cheap prefix test. */
export const PEER_PATTERNS: readonly Rule[] = [
  (msg) => {
    let m: RegExpExecArray | null;
    if (msg.startsWith('lost the TCP') && (m = C_LOST.exec(msg))) return lost(memberId(m[1]), m[2], 'lost');
    if (msg.startsWith('closed an existing TCP') && (m = C_REPLACED.exec(msg))) return lost(memberId(m[1]), m[2], 'replaced');
    if (msg.startsWith('established a TCP') && (m = C_ESTABLISHED.exec(msg))) return event('peer-connection-restored', { peer: memberId(m[1]), detail: { stream: m[2] as string } });
    return undefined;
  },
  (msg) => {
    let m: RegExpExecArray | null;
    if ((msg.startsWith('peer ') || msg.startsWith('the connection with ')) && (m = C_PEER_STATE.exec(msg))) return event(m[2] === 'active' ? 'peer-active' : 'peer-inactive', { peer: memberId(m[1]) });
    // capnslog logs the reason at error level just before "became inactive": one deactivation.
    if (msg.startsWith('failed to ') && (m = FAILURE.exec(msg))) return event('peer-inactive', { peer: memberId(m[2]), detail: failure(msg) });
    if ((msg.startsWith('starting peer ') || msg.startsWith('stopping peer ')) && (m = C_START_STOP.exec(msg))) return peerSignal(m[1] === 'starting' ? 'peer-start' : 'peer-stop', m[2]);
    return undefined;
  },
  (msg) => {
    let m: RegExpExecArray | null;
    if (msg.startsWith('rejected the stream') && (m = C_REMOVED.exec(msg))) return rejected(memberId(m[1]), 'removed-member', 'inbound');
    if (msg.startsWith('failed to find member') && (m = C_UNKNOWN.exec(msg))) return rejected(memberId(m[1]), 'unknown-member', 'inbound', { clusterId: m[2] });
    if (msg.startsWith('streaming request ignored') && (m = C_ID_MISMATCH.exec(msg))) return rejected(undefined, 'id-mismatch', 'inbound', { addressedTo: m[1] });
    if (msg.startsWith('request cluster ID mismatch') && (m = C_CID_IN.exec(msg))) return rejected(undefined, 'cluster-id-mismatch', 'inbound', { remoteClusterId: m[1], localClusterId: m[2] });
    if (msg.startsWith('request version incompatibility') && (m = C_VERSION_IN.exec(msg))) return rejected(undefined, 'version-incompatible', 'inbound', { error: m[1] });
    if (msg.startsWith('request sent was ignored by peer') && (m = C_VERSION_OUT.exec(msg))) return rejected(memberId(m[1]), 'version-incompatible', 'outbound');
    if (msg.startsWith('request sent was ignored (') && (m = C_CID_OUT.exec(msg))) return rejected(memberId(m[1]), 'cluster-id-mismatch', 'outbound', { remoteClusterId: m[2], localClusterId: m[3] });
    if (msg.startsWith('rejected connection from') && (m = C_TLS.exec(msg))) {
      return event('connection-rejected', { peer: hostOf(m[1]), detail: detail({ remoteAddr: m[1], error: m[2] ?? m[4], serverName: m[3] }) });
    }
    return undefined;
  },
  (msg) => {
    let m: RegExpExecArray | null;
    if (msg.startsWith('failed to reach the peerURL') && (m = C_UNREACHABLE.exec(msg))) return event('peer-unreachable', { peer: memberId(m[2]), detail: detail({ address: m[1], error: m[3] }) });
    if (msg.startsWith('health check for peer') && (m = C_HEALTH.exec(msg))) return event('peer-unhealthy', { peer: memberId(m[1]), detail: detail({ peerId: m[1], error: m[2], roundTripper: m[3] }) });
    if (msg.startsWith('the connection to peer') && (m = C_UNHEALTHY_2_3.exec(msg))) return event('peer-unhealthy', { peer: memberId(m[1]), detail: { peerId: m[1] as string } });
    if (msg.startsWith('the clock difference') && (m = C_CLOCK.exec(msg))) return event('clock-skew', { durationMs: dur(m[2], NS), expectedMs: dur(m[3], NS), peer: memberId(m[1]), detail: { peerId: m[1] as string } });
    if (msg.startsWith('dropped internal raft message to') && (m = C_BUFFER.exec(msg))) return event('sending-buffer-full', { peer: memberId(m[1]), detail: detail({ peerId: m[1], stream: m[2] }) });
    return undefined;
  },
];
