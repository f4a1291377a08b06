import type { FaultKind, LabFault, LabMember, LabState } from '../state.ts';

export interface FaultContext {
  /** The current state; a driver may update members (a restart changes the pid). */
  readonly state: LabState;
  readonly progress: (message: string) => void;
}

export interface FaultRequest {
  /** Resolved already: an existing, running member, when the fault targets one. */
  readonly member?: LabMember;
  readonly delayMs?: number;
  readonly fill?: number;
}

/** What a driver returns; the caller adds kind and since, and records it. */
export type AppliedFault = Omit<LabFault, 'kind' | 'since'>;

export interface FaultDriver {
  readonly kind: FaultKind;
  /** Which member a fault hits when none is named; null when it is cluster-wide. */
  readonly defaultMember: 'follower' | null;
  readonly defaultDelayMs?: number;
  apply(ctx: FaultContext, req: FaultRequest): Promise<AppliedFault>;
  /** Undoes one recorded fault; must tolerate a fault that is already half gone. */
  heal(ctx: FaultContext, fault: LabFault): Promise<void>;
}
