import { migration as m1 } from './0001-samples.ts';
import { migration as m2 } from './0002-rollups.ts';
import { migration as m3 } from './0003-findings.ts';
import { migration as m4 } from './0004-reports.ts';
import { migration as m5 } from './0005-member-status.ts';
import { migration as m6 } from './0006-log-events.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** Every migration, in order. Append only: an applied migration never changes (its checksum is checked). */
export const MIGRATIONS: readonly Migration[] = [m1, m2, m3, m4, m5, m6];
