import type { DdlContext } from '../ddl.ts';

/**
 * One schema change. Migrations are data: an ordered list, applied once each and recorded in
 * `schema_migrations`. Every statement must be idempotent (IF NOT EXISTS, ADD COLUMN IF NOT
 * EXISTS, ...): a process that dies half-way through a migration reruns it whole at next start,
 * and two processes starting together may both run it.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (ctx: DdlContext) => readonly string[];
}
