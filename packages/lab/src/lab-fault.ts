import { LabError } from '@etcd-analyzer/shared/errors';
import { probeMembers } from './cluster.ts';
import { FAULT_DRIVERS } from './faults/index.ts';
import { FAULT_OPTIONS, parseDelayMs, parseFaultKind, parseFill, type Parsed } from './options.ts';
import { isOurs } from './processes.ts';
import { memberProcess, readLabState, writeLabState, type LabFault, type LabMember, type LabState } from './state.ts';

export interface LabFaultOptions {
  readonly dir: string;
  /** A member name (etcd-1), or "leader" / "follower" (the current one). Default: a follower, for faults that hit one member. */
  readonly member?: string;
  /** slow-disk (default 40ms) and peer-latency (default 100ms): "40ms", "0.5s", "800us". */
  readonly delay?: string | number;
  /** quota: fraction of the quota to fill, 0 < fill <= 1 (default 0.9). */
  readonly fill?: string | number;
  readonly onProgress?: (message: string) => void;
}

function value<T>(option: string, r: Parsed<T>): T {
  if (!r.ok) throw new LabError(`${option}: ${r.message}`, { option });
  return r.value;
}

/** Resolves "leader", "follower" or a member name to a running member. */
export async function resolveMember(state: LabState, wanted: string): Promise<LabMember> {
  const running = state.members.filter((m) => isOurs(memberProcess(m)));
  if (wanted === 'leader' || wanted === 'follower') {
    const probes = await probeMembers(state);
    const leader = probes.find((p) => p.status?.isLeader)?.member;
    if (!leader) throw new LabError(`member ${wanted}: the cluster has no leader right now`, { option: 'member' });
    if (wanted === 'leader') return leader;
    const follower = running.find((m) => m.name !== leader.name && probes.find((p) => p.member.name === m.name)?.status);
    if (!follower) throw new LabError('member follower: no running follower answers', { option: 'member' });
    return follower;
  }
  const member = state.members.find((m) => m.name === wanted);
  if (!member) throw new LabError(`member: unknown member "${wanted}" (members: ${state.members.map((m) => m.name).join(', ')}, or leader, follower)`, { option: 'member' });
  if (!running.includes(member)) throw new LabError(`member: ${wanted} is not running (heal the lab first)`, { option: 'member' });
  return member;
}

/** Injects one fault into the lab in DIR, records it in lab.json and returns the record. */
export async function labFault(kind: string, opts: LabFaultOptions): Promise<LabFault> {
  const k = value('kind', parseFaultKind(kind));
  const driver = FAULT_DRIVERS[k];
  const allowed = FAULT_OPTIONS[k];
  for (const option of ['member', 'delay', 'fill'] as const) {
    if (opts[option] !== undefined && !allowed.includes(option)) throw new LabError(`${option}: does not apply to the ${k} fault (it takes ${allowed.length ? allowed.join(', ') : 'no options'})`, { option });
  }
  const delayMs = opts.delay === undefined ? undefined : value('delay', parseDelayMs(opts.delay));
  const fill = opts.fill === undefined ? undefined : value('fill', parseFill(opts.fill));
  const state = readLabState(opts.dir);
  const member = driver.defaultMember || opts.member ? await resolveMember(state, opts.member ?? driver.defaultMember ?? 'follower') : undefined;
  const clash = state.faults.find((f) => f.kind === k && (f.member === member?.name || !member));
  if (clash) throw new LabError(`${k} is already active${clash.member ? ` on ${clash.member}` : ''} (since ${clash.since}); heal first`, { kind: k });
  if (member && state.faults.some((f) => f.kind === 'member-down' && f.member === member.name)) throw new LabError(`member: ${member.name} is down`, { option: 'member' });

  const progress = opts.onProgress ?? (() => undefined);
  const applied = await driver.apply({ state, progress }, { ...(member ? { member } : {}), ...(delayMs !== undefined ? { delayMs } : {}), ...(fill !== undefined ? { fill } : {}) });
  const fault: LabFault = { kind: k, since: new Date().toISOString(), ...applied };
  // Re-read: a long fault (quota) must not overwrite what another command recorded meanwhile.
  const latest = readLabState(opts.dir);
  writeLabState({ ...latest, members: state.members, faults: [...latest.faults, fault] });
  return fault;
}
