import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '@etcd-analyzer/shared/errors';
import { findOnPath } from '../binaries.ts';
import { labPaths } from '../paths.ts';
import { sleep, spawnDetached, stopProcesses } from '../processes.ts';
import type { FaultDriver } from './types.ts';

/** strace's delay syntax without a unit is microseconds, which every strace version reads. */
export function straceArgs(pid: number, delayMs: number): string[] {
  const us = Math.round(delayMs * 1000);
  return ['-f', '-p', String(pid), '-e', 'trace=fdatasync,fsync', '-e', `inject=fdatasync:delay_enter=${us}`, '-e', `inject=fsync:delay_enter=${us}`, '-o', '/dev/null'];
}

/** Threads of `pid` whose tracer is not `tracer` (empty once strace holds them all). */
function untracedThreads(pid: number, tracer: number): string[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return ['(process gone)'];
  }
  return tasks.filter((t) => {
    try {
      return !new RegExp(`^TracerPid:\\s*${tracer}$`, 'm').test(readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8'));
    } catch {
      return false; // the thread ended
    }
  });
}

/**
 * Slow disk: strace attaches to every thread of one member and delays each fdatasync/fsync on
 * entry, so the WAL and backend commits see the latency a slow disk would give them.
 */
export const slowDisk: FaultDriver = {
  kind: 'slow-disk',
  defaultMember: 'follower',
  defaultDelayMs: 40,
  async apply(ctx, req) {
    const member = req.member!;
    const delayMs = req.delayMs ?? 40;
    const strace = findOnPath(['strace'], 'strace');
    const logFile = join(labPaths(ctx.state.dir).faults, `slow-disk-${member.name}.log`);
    const ref = await spawnDetached(strace, straceArgs(member.pid, delayMs), { logFile });
    const deadline = Date.now() + 10_000;
    let left = untracedThreads(member.pid, ref.pid);
    while (left.length && Date.now() < deadline) {
      await sleep(100);
      left = untracedThreads(member.pid, ref.pid);
    }
    if (left.length) {
      await stopProcesses([ref], 3000);
      let log = '';
      try {
        log = readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' ');
      } catch {
        // no log
      }
      throw new LabError(`strace did not attach to ${member.name} (pid ${member.pid})${log ? `: ${log}` : ''}; ptrace may be restricted (kernel.yama.ptrace_scope) or the process already traced`, { member: member.name });
    }
    ctx.progress(`strace (pid ${ref.pid}) holds every thread of ${member.name}`);
    return { member: member.name, pid: ref.pid, processes: [ref], detail: `every fdatasync/fsync of ${member.name} (pid ${member.pid}) delayed ${delayMs} ms by strace`, restore: {} };
  },
  async heal(_ctx, fault) {
    // SIGTERM makes strace detach cleanly; the member carries on untraced.
    await stopProcesses(fault.processes, 5000);
  },
};
