import type { FaultKind } from '../state.ts';
import { cpu } from './cpu.ts';
import { fragmentation } from './fragmentation.ts';
import { leaderChurn } from './leader-churn.ts';
import { memberDown } from './member-down.ts';
import { peerLatency } from './peer-latency.ts';
import { quota } from './quota.ts';
import { slowDisk } from './slow-disk.ts';
import type { FaultDriver } from './types.ts';

/** One driver per fault kind. */
export const FAULT_DRIVERS: Record<FaultKind, FaultDriver> = {
  'slow-disk': slowDisk,
  'leader-churn': leaderChurn,
  'member-down': memberDown,
  quota,
  fragmentation,
  cpu,
  'peer-latency': peerLatency,
};

/**
 * Heal order: first what acts on processes (so nothing stops a member mid-restart), then members
 * come back, then the data faults, which need every member to defragment.
 */
export const HEAL_ORDER: readonly FaultKind[] = ['leader-churn', 'slow-disk', 'cpu', 'peer-latency', 'member-down', 'quota', 'fragmentation'];

export type { FaultDriver, FaultContext, FaultRequest, AppliedFault } from './types.ts';
