import { join } from 'node:path';
import { LabError } from '@etcd-analyzer/shared/errors';
import { helperScript, labPaths, nodeArgs } from '../paths.ts';
import { isOurs, signalIfOurs, sleep, spawnDetached, stopProcesses } from '../processes.ts';
import { memberProcess } from '../state.ts';
import type { FaultDriver } from './types.ts';

/** A randomized election timeout lies in [T, 2T); stopping for 2T + 1 s always forces a new leader. */
export const churnTiming = (electionTimeoutMs: number): { stopMs: number; restMs: number } => ({ stopMs: 2 * electionTimeoutMs + 1000, restMs: 5000 });

/**
 * Leader churn: a detached loop stops the current leader with SIGSTOP long enough for the others
 * to elect a new one, resumes it, rests, and starts again.
 */
export const leaderChurn: FaultDriver = {
  kind: 'leader-churn',
  defaultMember: null,
  async apply(ctx) {
    const { stopMs, restMs } = churnTiming(ctx.state.electionTimeoutMs);
    const logFile = join(labPaths(ctx.state.dir).faults, 'leader-churn.log');
    const ref = await spawnDetached(process.execPath, nodeArgs(helperScript('leader-churn'), [ctx.state.dir, String(stopMs), String(restMs)]), { logFile });
    await sleep(1000);
    if (!isOurs(ref)) throw new LabError(`the leader-churn loop exited at once; see ${logFile}`);
    ctx.progress(`churn loop (pid ${ref.pid}) running; log in ${logFile}`);
    return { pid: ref.pid, processes: [ref], detail: `the current leader is SIGSTOPped for ${stopMs} ms every ${(stopMs + restMs) / 1000} s`, restore: {} };
  },
  async heal(ctx, fault) {
    await stopProcesses(fault.processes, 5000);
    // The loop resumes what it stopped on SIGTERM; this covers a loop that was killed hard.
    for (const m of ctx.state.members) signalIfOurs(memberProcess(m), 'SIGCONT');
  },
};
