import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { z } from 'zod';
import { type DdlContext, qualified, type TableName } from './ddl.ts';
import { StoreError, toStoreError } from './store-error.ts';

/**
 * The one place SQL reaches ClickHouse. Values travel only as server-side parameters
 * (`{name:Type}` + `query_params`); SQL text is built from constants and validated identifiers.
 * Every failure becomes a StoreError naming the operation and the target, with secrets redacted.
 */
export interface Runner {
  readonly target: string;
  readonly ctx: DdlContext;
  table(name: TableName): string;
  rows<S extends z.ZodType>(operation: string, query: string, params: Record<string, unknown>, row: S): Promise<Array<z.output<S>>>;
  command(operation: string, query: string): Promise<void>;
  insert(operation: string, table: TableName, rows: readonly object[], dedupToken: string): Promise<void>;
  /** Resolves once nothing is in flight (closing chDB under a running query aborts its engine). */
  drain(): Promise<void>;
}

/**
 * Insert settings that make a write idempotent: a block whose token the table has already seen
 * (within its `non_replicated_deduplication_window`) is dropped, and so are the blocks the
 * materialized views would derive from it. Every insert sets all of them explicitly: on the
 * embedded path settings are applied with SET on the connection's session and would otherwise
 * linger into the next insert.
 *
 * The token is a hash of what identifies the write (a batch id holds the cluster name, which is
 * input): chdb/connection writes setting values into SQL string literals escaping only `'`, so a
 * value containing `\'` would end the literal early. A hex digest cannot.
 */
export function dedupSettings(identity: string): Record<string, string | number> {
  const token = createHash('sha256').update(identity).digest('hex').slice(0, 32);
  return { insert_deduplicate: 1, insert_deduplication_token: token, deduplicate_blocks_in_dependent_materialized_views: 1, async_insert: 0 };
}

export function createRunner(client: ClickHouseClient, ctx: DdlContext, target: string, secrets: readonly string[]): Runner {
  const inFlight = new Set<Promise<unknown>>();
  const track = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    const p = work();
    inFlight.add(p);
    try {
      return await p;
    } catch (e) {
      throw toStoreError(e, { operation, target, secrets });
    } finally {
      inFlight.delete(p);
    }
  };
  return {
    target,
    ctx,
    table: (name) => qualified(ctx, name),
    async rows(operation, query, params, row) {
      const raw = await track(operation, async () => {
        const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
        return rs.json<unknown>();
      });
      return raw.map((r, i) => {
        const parsed = row.safeParse(r);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new StoreError(`${target}: ${operation}: unexpected row ${i}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`, { operation, target });
        }
        return parsed.data;
      });
    },
    async command(operation, query) {
      await track(operation, () => client.command({ query }));
    },
    async insert(operation, table, rows, dedupToken) {
      if (rows.length === 0) return;
      await track(operation, () => client.insert({ table: qualified(ctx, table), values: rows as object[], format: 'JSONEachRow', clickhouse_settings: dedupSettings(dedupToken) }));
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
