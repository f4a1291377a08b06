import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { LabError } from '@etcd-analyzer/shared/errors';
import type { ProcessRef } from './state.ts';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface ProcStat {
  readonly state: string;
  readonly startTime: number;
}

/** Parses /proc/PID/stat; the command name may hold spaces and parentheses, so split after the last ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state); starttime is field 22.
  const state = fields[0];
  const startTime = Number(fields[19]);
  if (!state || !Number.isInteger(startTime)) return undefined;
  return { state, startTime };
}

function procStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * True when PID is still the very process we started: same start time, and its command line
 * still names the same program (a zombie or a recycled pid is not ours).
 */
export function isOurs(ref: ProcessRef): boolean {
  const st = procStat(ref.pid);
  if (!st || st.state === 'Z' || st.state === 'X' || st.startTime !== ref.startTime) return false;
  const argv = cmdline(ref.pid);
  return argv.some((a) => basename(a) === basename(ref.command));
}

/** True when the process is ours and stopped by SIGSTOP (state T). */
export function isStopped(ref: ProcessRef): boolean {
  return isOurs(ref) && procStat(ref.pid)?.state === 'T';
}

export interface SpawnOptions {
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The program name to check later when `command` execs another (taskset -> sh). */
  readonly recordAs?: string;
}

/**
 * Starts a process that outlives the caller: its own process group, output appended to a log
 * file, not holding the caller's event loop open.
 */
export async function spawnDetached(command: string, args: readonly string[], opts: SpawnOptions): Promise<ProcessRef> {
  const fd = openSync(opts.logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env: opts.env ?? process.env, cwd: opts.cwd });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', (e) => reject(new LabError(`could not start ${command}: ${e.message}`, { command }, { cause: e })));
      child.once('spawn', () => (child.pid ? resolve(child.pid) : reject(new LabError(`could not start ${command}: no pid`, { command }))));
    });
    child.unref();
    const st = procStat(pid);
    if (!st) throw new LabError(`${command} exited at once; see ${opts.logFile}`, { command, logFile: opts.logFile });
    return { pid, startTime: st.startTime, command: opts.recordAs ?? command };
  } finally {
    closeSync(fd);
  }
}

/** Sends a signal only if the pid is still ours; returns whether it was sent. */
export function signalIfOurs(ref: ProcessRef, signal: NodeJS.Signals): boolean {
  if (!isOurs(ref)) return false;
  try {
    process.kill(ref.pid, signal);
    return true;
  } catch {
    return false;
  }
}

export async function waitGone(refs: readonly ProcessRef[], timeoutMs: number): Promise<ProcessRef[]> {
  const deadline = Date.now() + timeoutMs;
  let left = refs.filter(isOurs);
  while (left.length && Date.now() < deadline) {
    await sleep(100);
    left = left.filter(isOurs);
  }
  return left;
}

/**
 * SIGTERM, wait, then SIGKILL what is left. Stopped processes get SIGCONT too, or a SIGSTOPped
 * etcd would hold its SIGTERM until someone resumed it.
 */
export async function stopProcesses(refs: readonly ProcessRef[], graceMs = 10_000): Promise<ProcessRef[]> {
  const ours = refs.filter(isOurs);
  for (const r of ours) {
    signalIfOurs(r, 'SIGTERM');
    signalIfOurs(r, 'SIGCONT');
  }
  const left = await waitGone(ours, graceMs);
  for (const r of left) signalIfOurs(r, 'SIGKILL');
  return waitGone(left, 5000);
}
