import { LabError } from '@etcd-analyzer/shared/errors';
import { readPeerProxyAck, readPeerProxyConfig, withDelay, writeJsonAtomic } from '../peer-proxy-config.ts';
import { signalIfOurs, sleep } from '../processes.ts';
import type { LabState } from '../state.ts';
import type { FaultDriver } from './types.ts';

/** Sets one member's proxy delay (or every member's, with null) and waits for the proxy to confirm. */
export async function setPeerDelay(state: LabState, member: string | null, delayMs: number): Promise<void> {
  const proxy = state.helpers.find((h) => h.role === 'peer-proxy');
  const next = withDelay(readPeerProxyConfig(state.peerProxyConfig), member, delayMs);
  writeJsonAtomic(state.peerProxyConfig, next);
  if (!proxy || !signalIfOurs(proxy, 'SIGHUP')) throw new LabError(`the peer proxy is not running (see ${proxy?.logFile ?? state.dir}); restart the lab`, { dir: state.dir });
  const deadline = Date.now() + 5000;
  while ((readPeerProxyAck(state.peerProxyConfig)?.generation ?? -1) < next.generation) {
    if (Date.now() > deadline) throw new LabError(`the peer proxy did not confirm the new delay; see ${proxy.logFile}`, { dir: state.dir });
    await sleep(50);
  }
}

/**
 * Peer latency: the member's advertised peer URL is its proxy, so every connection the other
 * members open to it (raft streams, pipeline, probes) is held for the delay in both directions.
 */
export const peerLatency: FaultDriver = {
  kind: 'peer-latency',
  defaultMember: 'follower',
  defaultDelayMs: 100,
  async apply(ctx, req) {
    const member = req.member!;
    const delayMs = req.delayMs ?? 100;
    await setPeerDelay(ctx.state, member.name, delayMs);
    ctx.progress(`peer traffic through ${member.advertisedPeerUrl} now delayed ${delayMs} ms each way`);
    return { member: member.name, processes: [], detail: `peer connections to ${member.name} (via ${member.advertisedPeerUrl}) delayed ${delayMs} ms each way`, restore: {} };
  },
  async heal(ctx, fault) {
    if (fault.member) await setPeerDelay(ctx.state, fault.member, 0);
  },
};
