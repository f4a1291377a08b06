import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LabError } from '@etcd-analyzer/shared/errors';
import { findOnPath } from '../binaries.ts';
import { labPaths } from '../paths.ts';
import { isOurs, spawnDetached, stopProcesses } from '../processes.ts';
import { memberProcess, type ProcessRef } from '../state.ts';
import type { FaultDriver } from './types.ts';

const run = promisify(execFile);
export const BURNERS = 2;

/** Reads "pid 42's current affinity mask: 3" as "3". */
export function parseAffinityMask(output: string): string | undefined {
  return /affinity mask:\s*([0-9a-f,]+)/i.exec(output)?.[1];
}

/**
 * CPU contention: every thread of one member is pinned to one CPU, and busy loops pinned to the
 * same CPU compete with it; heal stops the loops and restores the member's previous affinity.
 */
export const cpu: FaultDriver = {
  kind: 'cpu',
  defaultMember: 'follower',
  async apply(ctx, req) {
    const member = req.member!;
    const taskset = findOnPath(['taskset'], 'taskset');
    const cpuId = availableParallelism() - 1;
    const before = parseAffinityMask((await run(taskset, ['-p', String(member.pid)])).stdout);
    if (!before) throw new LabError(`could not read the CPU affinity of ${member.name} (pid ${member.pid})`, { member: member.name });
    await run(taskset, ['-a', '-p', '-c', String(cpuId), String(member.pid)]);
    const faults = labPaths(ctx.state.dir).faults;
    const processes: ProcessRef[] = [];
    try {
      for (let i = 0; i < BURNERS; i++) {
        // `sh -c LOOP NAME DIR`: NAME and DIR land in $0/$1, so ps shows what each loop is for.
        processes.push(await spawnDetached(taskset, ['-c', String(cpuId), 'sh', '-c', 'while :; do :; done', 'etcd-lab-cpu-burn', ctx.state.dir], { logFile: join(faults, 'cpu-burn.log'), recordAs: 'sh' }));
      }
    } catch (e) {
      await stopProcesses(processes, 3000);
      await run(taskset, ['-a', '-p', before, String(member.pid)]).catch(() => undefined);
      throw e;
    }
    ctx.progress(`${member.name} pinned to CPU ${cpuId} with ${BURNERS} busy loops`);
    return {
      member: member.name,
      pid: processes[0]?.pid,
      processes,
      detail: `${member.name} (pid ${member.pid}) pinned to CPU ${cpuId}, shared with ${BURNERS} busy loops (affinity was ${before})`,
      restore: { affinity: before, pid: String(member.pid), startTime: String(member.startTime) },
    };
  },
  async heal(ctx, fault) {
    await stopProcesses(fault.processes, 5000);
    const member = ctx.state.members.find((m) => m.name === fault.member);
    const mask = fault.restore.affinity;
    // A member restarted since then already has the default affinity.
    if (!member || !mask || String(member.pid) !== fault.restore.pid || !isOurs(memberProcess(member))) return;
    await run(findOnPath(['taskset'], 'taskset'), ['-a', '-p', mask, String(member.pid)]);
  },
};
