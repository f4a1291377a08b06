import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LabError } from '@etcd-analyzer/shared/errors';
import { probeMembers } from './cluster.ts';
import { isOurs, signalIfOurs, stopProcesses } from './processes.ts';
import { labStatePath, readLabState, writeLabState, type ProcessRef } from './state.ts';

export interface LabDownResult {
  /** What was running and has been stopped, e.g. "etcd-0 (pid 123)". */
  readonly stopped: string[];
}

/**
 * Stops every process lab.json records, by pid, after checking each pid still is the process
 * the lab started; nothing else is touched. Safe to run again (then it stops nothing).
 */
export async function labDown(opts: { dir: string; onProgress?: (message: string) => void }): Promise<LabDownResult> {
  const dir = resolve(opts.dir);
  if (!existsSync(labStatePath(dir))) return { stopped: [] };
  const state = readLabState(dir);
  const progress = opts.onProgress ?? (() => undefined);
  const stopped: string[] = [];
  const stop = async (what: string, refs: ReadonlyArray<ProcessRef & { name: string }>): Promise<void> => {
    const live = refs.filter(isOurs);
    if (!live.length) return;
    progress(`stopping ${what}: ${live.map((r) => `${r.name} (pid ${r.pid})`).join(', ')}`);
    const left = await stopProcesses(live);
    stopped.push(...live.filter((r) => !left.includes(r)).map((r) => `${r.name} (pid ${r.pid})`));
    if (left.length) throw new LabError(`could not stop ${left.map((r) => `pid ${r.pid}`).join(', ')}`, { dir });
  };

  // Fault processes first: leader churn would otherwise stop a member mid-shutdown.
  await stop('fault processes', state.faults.flatMap((f) => f.processes.map((p) => ({ ...p, name: `${f.kind}${f.member ? ` on ${f.member}` : ''}` }))));
  const members = state.members.map((m) => ({ pid: m.pid, startTime: m.startTime, command: m.args[0] ?? 'etcd', name: m.name }));
  for (const m of members) signalIfOurs(m, 'SIGCONT');
  const helpers = (role: string) => state.helpers.filter((h) => h.role === role).map((h) => ({ ...h, name: h.role }));
  await stop('load generator', helpers('load'));
  await stop('prometheus and node_exporter', [...helpers('prometheus'), ...helpers('node-exporter')]);
  // Leader first, one at a time: a leader that is told to stop hands leadership over, and waits
  // up to 7 s for that when its followers are already gone.
  for (;;) {
    const live = members.filter(isOurs);
    if (!live.length) break;
    const leader = (await probeMembers({ ...state, members: state.members.filter((m) => live.some((l) => l.pid === m.pid)) }, 1000)).find((p) => p.status?.isLeader);
    const next = live.filter((m) => !leader || m.name === leader.member.name);
    await stop(next.length === 1 ? 'etcd member' : 'etcd members', next);
  }
  await stop('peer proxy', helpers('peer-proxy'));
  writeLabState({ ...state, faults: [] });
  return { stopped };
}
