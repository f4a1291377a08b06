import { LabError } from '@etcd-analyzer/shared/errors';
import { isOurs, spawnDetached, stopProcesses } from '../processes.ts';
import { memberProcess } from '../state.ts';
import type { FaultDriver } from './types.ts';

/** Member down: SIGTERM one member and wait for it to exit; heal starts it again as it was. */
export const memberDown: FaultDriver = {
  kind: 'member-down',
  defaultMember: 'follower',
  async apply(ctx, req) {
    const member = req.member!;
    const left = await stopProcesses([memberProcess(member)], 15_000);
    if (left.length) throw new LabError(`${member.name} (pid ${member.pid}) did not exit`, { member: member.name });
    ctx.progress(`${member.name} stopped`);
    return { member: member.name, processes: [], detail: `${member.name} stopped (was pid ${member.pid}); heal restarts it with the same flags and data dir`, restore: {} };
  },
  async heal(ctx, fault) {
    const member = ctx.state.members.find((m) => m.name === fault.member);
    if (!member || isOurs(memberProcess(member))) return;
    const [bin, ...flags] = member.args;
    const ref = await spawnDetached(bin ?? 'etcd', flags, { logFile: member.outFile });
    member.pid = ref.pid;
    member.startTime = ref.startTime;
    ctx.progress(`${member.name} restarted (pid ${ref.pid})`);
  },
};
