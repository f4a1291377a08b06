import { describeError, LabError } from '@etcd-analyzer/shared/errors';
import { waitForLeader } from './cluster.ts';
import { FAULT_DRIVERS, HEAL_ORDER } from './faults/index.ts';
import { readLabState, writeLabState, type LabFault } from './state.ts';

export interface LabHealResult {
  readonly healed: LabFault[];
}

/**
 * Removes every active fault: stops fault processes, resumes and restarts members, restores CPU
 * affinity and peer delays, then reclaims space (delete, compact, defragment, disarm alarms).
 * A fault that cannot be healed stays recorded, and the error names it.
 */
export async function labHeal(opts: { dir: string; onProgress?: (message: string) => void }): Promise<LabHealResult> {
  const progress = opts.onProgress ?? (() => undefined);
  const state = readLabState(opts.dir);
  const ordered = [...state.faults].sort((a, b) => HEAL_ORDER.indexOf(a.kind) - HEAL_ORDER.indexOf(b.kind));
  const healed: LabFault[] = [];
  const failed: string[] = [];
  let leaderChecked = false;
  for (const fault of ordered) {
    try {
      if ((fault.kind === 'quota' || fault.kind === 'fragmentation') && !leaderChecked) {
        await waitForLeader(state, 60_000);
        leaderChecked = true;
      }
      progress(`healing ${fault.kind}${fault.member ? ` on ${fault.member}` : ''}`);
      await FAULT_DRIVERS[fault.kind].heal({ state, progress }, fault);
      healed.push(fault);
    } catch (e) {
      failed.push(`${fault.kind}${fault.member ? ` on ${fault.member}` : ''}: ${describeError(e)}`);
    }
    writeLabState({ ...state, faults: state.faults.filter((f) => !healed.includes(f)) });
  }
  if (healed.some((f) => f.kind === 'member-down') && !leaderChecked) await waitForLeader(state, 60_000);
  if (failed.length) throw new LabError(`could not heal ${failed.join('; ')}`, { dir: state.dir });
  return { healed };
}
