import { CLICKHOUSE_IDENTIFIER } from '../schema/index.ts';

/**
 * What DDL may interpolate. DDL cannot take query parameters, so the database name and the TTLs
 * are written into the statements; they reach here only through `createDdlContext`, which checks
 * them again (an identifier, whole days) whatever the caller validated before.
 */
export interface DdlContext {
  readonly db: string;
  readonly ttlDays: number;
  readonly longTtlDays: number;
}

/** Every table the store owns (constants: never built from input). */
export const TABLES = ['samples', 'samples_1m', 'samples_1h', 'findings', 'reports', 'member_status', 'log_events', 'log_counts', 'schema_migrations'] as const;
export type TableName = (typeof TABLES)[number];

/**
 * Block hashes kept per table for insert deduplication (MergeTree `non_replicated_deduplication_window`).
 * A redelivered batch is recognised while fewer than this many inserts reached the table since
 * the first copy: at 1,000 clusters x 5 categories every 30 s (~170 inserts/s) that is ~10 minutes,
 * well beyond JetStream's redelivery after a crash (ack wait + restart).
 */
export const DEDUP_WINDOW = 100_000;

export function createDdlContext(c: { database: string; ttlDays: number; longTtlDays: number }): DdlContext {
  if (!CLICKHOUSE_IDENTIFIER.test(c.database)) throw new TypeError('database must be a ClickHouse identifier');
  for (const [k, v] of [['ttlDays', c.ttlDays], ['longTtlDays', c.longTtlDays]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new TypeError(`${k} must be a positive whole number of days`);
  }
  return Object.freeze({ db: c.database, ttlDays: c.ttlDays, longTtlDays: c.longTtlDays });
}

/** `db`.`table`, from a validated context and a constant table name. */
export function qualified(ctx: { readonly db: string }, table: TableName): string {
  return `\`${ctx.db}\`.\`${table}\``;
}

/** Which retention a table follows, and the expression its TTL counts from. */
export const RETENTION: Readonly<Partial<Record<TableName, { readonly days: 'ttlDays' | 'longTtlDays'; readonly from: string }>>> = {
  samples: { days: 'ttlDays', from: 'toDateTime(ts)' },
  samples_1m: { days: 'ttlDays', from: 'ts' },
  samples_1h: { days: 'longTtlDays', from: 'ts' },
  member_status: { days: 'ttlDays', from: 'toDateTime(ts)' },
  log_events: { days: 'ttlDays', from: 'toDateTime(ts)' },
  log_counts: { days: 'ttlDays', from: 'toDateTime(window_end)' },
  findings: { days: 'longTtlDays', from: 'toDateTime(at)' },
  reports: { days: 'longTtlDays', from: 'toDateTime(generated_at)' },
};

/** The TTL expression of a table under this context (`toDateTime(ts) + toIntervalDay(30)`). */
export function ttlExpression(ctx: DdlContext, table: TableName): string {
  const r = RETENTION[table];
  if (!r) throw new TypeError(`${table} has no retention`);
  return `${r.from} + toIntervalDay(${ctx[r.days]})`;
}

/** The trailing clauses every time-series table shares: TTL, then dedup window and whole-part expiry. */
export function tableTail(ctx: DdlContext, table: TableName): string {
  return `TTL ${ttlExpression(ctx, table)}\nSETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}, ttl_only_drop_parts = 1`;
}
