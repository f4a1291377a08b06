import { detail, event, intOf, type Reading, type Rule } from './reading.ts';

/**
 * Leadership as the raft library reports it on every member (raft/node.go and raft/raft.go of
 * etcd 2.3 to 3.5, go.etcd.io/raft/v3 for 3.6): the same wording under zap, capnslog, the raft
 * Go logger and etcd 2.0's standard logger.
 */
const ELECTED = /^raft\.node: ([0-9a-f]+) elected leader ([0-9a-f]+) at term (\d+)/;
const CHANGED = /^raft\.node: ([0-9a-f]+) changed leader from ([0-9a-f]+) to ([0-9a-f]+) at term (\d+)/;
const LOST = /^raft\.node: ([0-9a-f]+) lost leader ([0-9a-f]+) at term (\d+)/;
const BECAME = /^([0-9a-f]+) became (leader|follower|candidate|pre-candidate) at term (\d+)/;
const STEPPED_DOWN = /^([0-9a-f]+) stepped down to follower since quorum is not active/;
const HEX_START = /^[0-9a-f]/;

function nodeLine(msg: string): Reading | undefined {
  let m: RegExpExecArray | null;
  if ((m = ELECTED.exec(msg))) return event('leader-elected', { detail: detail({ localId: m[1], leaderId: m[2], term: intOf(m[3]) }) });
  if ((m = CHANGED.exec(msg))) return event('leader-changed', { detail: detail({ localId: m[1], previousLeaderId: m[2], leaderId: m[3], term: intOf(m[4]) }) });
  if ((m = LOST.exec(msg))) return event('leader-lost', { detail: detail({ localId: m[1], previousLeaderId: m[2], term: intOf(m[3]) }) });
  return undefined;
}

function raftLine(msg: string): Reading | undefined {
  let m: RegExpExecArray | null;
  if ((m = BECAME.exec(msg))) {
    const term = Number(m[3]);
    if (m[2] === 'leader') return event('leader-elected', { detail: detail({ localId: m[1], leaderId: m[1], term, self: true }) });
    return { signal: 'raft-term', localId: m[1] as string, term };
  }
  if ((m = STEPPED_DOWN.exec(msg))) return event('leader-lost', { detail: detail({ localId: m[1], previousLeaderId: m[1], reason: 'quorum-inactive' }) });
  return undefined;
}

export const RAFT_PATTERNS: readonly Rule[] = [(msg) => (msg.startsWith('raft.node: ') ? nodeLine(msg) : HEX_START.test(msg) ? raftLine(msg) : undefined)];
