import { createHash } from 'node:crypto';
import { z } from 'zod';
import { createDdlContext, type DdlContext, RETENTION, type TableName, ttlExpression } from './ddl.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import type { Runner } from './runner.ts';
import { StoreError } from './store-error.ts';

export interface MigrateResult {
  /** Versions applied by this call (empty when the schema was current). */
  readonly applied: readonly number[];
  /** The schema version now in place. */
  readonly version: number;
  /** Tables whose TTL was changed to follow the configured retention. */
  readonly retentionChanged: readonly string[];
}

/** A migration's identity: its statements rendered with a fixed context (TTLs from config do not change it). */
export function migrationChecksum(m: Migration): string {
  const canonical = createDdlContext({ database: 'db', ttlDays: 1, longTtlDays: 2 });
  return createHash('sha256').update(m.statements(canonical).join(';\n')).digest('hex').slice(0, 16);
}

/** Checks the list: versions 1..n in order, unique names. */
export function checkMigrations(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new TypeError(`migration ${m.name}: version ${m.version} where ${i + 1} was expected (versions run 1..n in order)`);
  });
  const names = new Set(list.map((m) => m.name));
  if (names.size !== list.length) throw new TypeError('migration names must be unique');
}

const AppliedRow = z.object({ version: z.number().int(), checksum: z.string() });
const EngineRow = z.object({ name: z.string(), engine_full: z.string() });

/**
 * Applies what is missing, in order; safe at every start and from several processes at once
 * (statements are idempotent, and the version row is inserted with a dedup token so it is stored
 * once). Then makes each table's TTL follow the configured retention (ALTER ... MODIFY TTL when
 * the configured days changed since the table was made).
 */
export async function migrate(run: Runner, list: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  checkMigrations(list);
  const { ctx } = run;
  await run.command('migrate: create database', `CREATE DATABASE IF NOT EXISTS \`${ctx.db}\``);
  await run.command(
    'migrate: create schema_migrations',
    `CREATE TABLE IF NOT EXISTS ${run.table('schema_migrations')} (
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY version
SETTINGS non_replicated_deduplication_window = 1000`,
  );
  const applied = new Map((await run.rows('migrate: read versions', `SELECT version, checksum FROM ${run.table('schema_migrations')} ORDER BY version`, {}, AppliedRow)).map((r) => [r.version, r.checksum]));
  const done: number[] = [];
  for (const m of list) {
    const checksum = migrationChecksum(m);
    const seen = applied.get(m.version);
    if (seen !== undefined) {
      if (seen !== checksum) {
        throw new StoreError(`migration ${m.version} (${m.name}) changed after it was applied (checksum ${seen} stored, ${checksum} now): add a new migration instead`, { operation: 'migrate', target: run.target });
      }
      continue;
    }
    const statements = m.statements(ctx);
    for (const [i, sql] of statements.entries()) await run.command(`migrate: ${m.version} ${m.name} (statement ${i + 1}/${statements.length})`, sql);
    await run.insert(`migrate: record ${m.version}`, 'schema_migrations', [{ version: m.version, name: m.name, checksum }], `migration:${m.version}`);
    done.push(m.version);
  }
  const retentionChanged = await syncRetention(run, ctx);
  return { applied: done, version: list.length, retentionChanged };
}

/** `TTL toDateTime(ts) + toIntervalDay(30)` in a table's engine_full → 30. */
export function ttlDaysOf(engineFull: string): number | undefined {
  const m = /\bTTL\b.*?toIntervalDay\((\d+)\)/.exec(engineFull);
  return m ? Number(m[1]) : undefined;
}

async function syncRetention(run: Runner, ctx: DdlContext): Promise<string[]> {
  const tables = Object.keys(RETENTION) as TableName[];
  const rows = await run.rows('migrate: read retention', 'SELECT name, engine_full FROM system.tables WHERE database = {db:String} AND has({tables:Array(String)}, name)', { db: ctx.db, tables }, EngineRow);
  const changed: string[] = [];
  for (const { name, engine_full } of rows) {
    const table = name as TableName;
    const r = RETENTION[table];
    if (!r || ttlDaysOf(engine_full) === ctx[r.days]) continue;
    await run.command(`migrate: retention of ${table}`, `ALTER TABLE ${run.table(table)} MODIFY TTL ${ttlExpression(ctx, table)}`);
    changed.push(table);
  }
  return changed;
}
