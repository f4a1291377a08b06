import { memberId } from './reading.ts';
import type { EtcdRecord } from './records.ts';

/** What a record reveals about the member that wrote the log: its name, its id, or both. */
export interface MemberHint {
  readonly name?: string;
  readonly idHex?: string;
}

const ATTR_NAME = /\{Name:(\S+) ClientURLs:/;
// capnslog and etcd 2.x: "starting member X in cluster Y", "restarting member X in cluster Y at commit index N".
const CAPNS_MEMBER = /^(?:re)?start(?:ing)? member ([0-9a-f]+) in cluster/;

/** Names come from etcd's startup lines; ids from any line that carries local-member-id. */
export function memberHint(r: EtcdRecord): MemberHint | undefined {
  const f = r.fields;
  const id = memberId(f['local-member-id']);
  if (r.msg === 'starting an etcd server' && typeof f.name === 'string' && f.name) return { name: f.name };
  const attrs = typeof f['local-member-attributes'] === 'string' ? ATTR_NAME.exec(f['local-member-attributes']) : null;
  if (attrs) return { name: attrs[1] as string, ...(id ? { idHex: id } : {}) };
  if (r.format !== 'zap-json' && r.format !== 'zap-console') {
    let m: RegExpExecArray | null;
    if ((m = /^name = (\S+)$/.exec(r.msg))) return { name: m[1] as string };
    if ((m = /^published \{Name:(\S+) ClientURLs:/.exec(r.msg))) return { name: m[1] as string };
    const member = r.msg.includes(' member ') ? CAPNS_MEMBER.exec(r.msg) : null;
    const idHex = member ? memberId(member[1]) : undefined;
    if (idHex) return { idHex };
  }
  return id ? { idHex: id } : undefined;
}
