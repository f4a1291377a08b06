import { PEER_EXACT, PEER_PATTERNS } from './classify-peer.ts';
import { RAFT_PATTERNS } from './classify-raft.ts';
import { SERVER_EXACT, SERVER_PATTERNS, SYMPTOM_RULES } from './classify-server.ts';
import { detail, event, type ClassifyContext, type Reading, type Rule } from './reading.ts';
import { ERROR_LEVELS, type EtcdRecord } from './records.ts';

/**
 * Which etcd lines are events, and what they measure. zap messages are constant strings and are
 * looked up whole; the wordings that vary (capnslog format strings, raft lines with ids, older
 * releases) are tried in turn, each behind a cheap prefix test, so an ordinary line costs a map
 * miss and a few string comparisons.
 */
const EXACT: ReadonlyMap<string, Rule> = new Map([...SERVER_EXACT, ...PEER_EXACT]);
const PATTERNS: readonly Rule[] = [...RAFT_PATTERNS, ...SERVER_PATTERNS, ...PEER_PATTERNS];

/** Process starts: the member's peers, terms and open operations start afresh. */
function processStart(msg: string, r: EtcdRecord): boolean {
  if (msg === 'starting an etcd server') return true;
  // capnslog and etcd 2.x print the version first (etcdmain/etcd.go); under journald without the package.
  return (r.fields.pkg === 'etcdmain' || r.fields.pkg === undefined) && msg.startsWith('etcd Version: ');
}

/** What a record means, or undefined for an ordinary line. */
export function classify(r: EtcdRecord, ctx: ClassifyContext): Reading | undefined {
  const { msg, fields } = r;
  const exact = EXACT.get(msg);
  if (exact) {
    const c = exact(msg, fields, r, ctx);
    if (c) return c;
  }
  for (const rule of PATTERNS) {
    const c = rule(msg, fields, r, ctx);
    if (c) return c;
  }
  if (processStart(msg, r)) return { signal: 'process-start' };
  for (const rule of SYMPTOM_RULES) {
    const c = rule(msg, fields, r, ctx);
    if (c) return c;
  }
  // grpc-go's own errors in etcd's stderr are client-balancer noise, not etcd's.
  if (r.level && ERROR_LEVELS.has(r.level) && r.format !== 'grpc-log') return event('error', { detail: detail({ error: fields.error, caller: fields.caller }) });
  return undefined;
}
