import { describeError, LabError } from '@etcd-analyzer/shared/errors';
import { memberStatus, type EtcdStatus } from './etcd-gateway.ts';
import { sleep } from './processes.ts';
import type { LabMember, LabState } from './state.ts';

export interface MemberProbe {
  readonly member: LabMember;
  readonly status: EtcdStatus | null;
  readonly error: string | null;
}

export async function probeMembers(state: LabState, timeoutMs = 2000): Promise<MemberProbe[]> {
  return Promise.all(
    state.members.map(async (member) => {
      try {
        return { member, status: await memberStatus(member.clientUrl, timeoutMs), error: null };
      } catch (e) {
        return { member, status: null, error: describeError(e) };
      }
    }),
  );
}

/** The member that says it leads; undefined while there is no leader (or no answer). */
export async function findLeader(state: LabState): Promise<LabMember | undefined> {
  const probes = await probeMembers(state);
  return probes.find((p) => p.status?.isLeader)?.member;
}

/** Waits until some member leads and every running member it can reach agrees. */
export async function waitForLeader(state: LabState, timeoutMs = 60_000): Promise<LabMember> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const probes = await probeMembers(state);
    const leader = probes.find((p) => p.status?.isLeader);
    const answered = probes.filter((p) => p.status);
    if (leader && answered.every((p) => p.status?.leaderId === leader.status?.memberId)) return leader.member;
    last = probes.map((p) => `${p.member.name}: ${p.error ?? (p.status?.leaderId === '0' ? 'no leader' : 'ok')}`).join('; ');
    await sleep(300);
  }
  throw new LabError(`no etcd leader after ${Math.round(timeoutMs / 1000)} s (${last}); see the member logs in ${state.dir}`, { dir: state.dir });
}
