import { availabilityCorrelator } from './availability.ts';
import { clientLoadCorrelator } from './client-load.ts';
import type { Correlator } from './context.ts';
import { fragmentationCorrelator, spaceCorrelator } from './database.ts';
import { diskCorrelator } from './disk.ts';
import { leadershipCorrelator } from './leadership.ts';
import { networkCorrelator } from './network.ts';
import { cpuCorrelator, memoryCorrelator } from './resources.ts';

export type { CorrelationContext, Correlator } from './context.ts';

/** Every root-cause detector; ranking happens after all have spoken. */
export const CORRELATORS: readonly Correlator[] = [
  availabilityCorrelator,
  diskCorrelator,
  networkCorrelator,
  leadershipCorrelator,
  cpuCorrelator,
  memoryCorrelator,
  spaceCorrelator,
  fragmentationCorrelator,
  clientLoadCorrelator,
];
