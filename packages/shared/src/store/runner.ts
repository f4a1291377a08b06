import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
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
  /** Inserts rows once per `identity` (what the rows are: a batch id, a finding transition...). */
  insert(operation: string, table: TableName, rows: readonly object[], identity: string): Promise<void>;
  /** Resolves once nothing is in flight (closing chDB under a running query aborts its engine). */
  drain(): Promise<void>;
}

/**
 * Insert settings that make a write idempotent: a block whose token the table has already seen
 * (within its `non_replicated_deduplication_window`) is dropped, and so are the blocks the
 * materialized views would derive from it.
 *
 * They go in the INSERT's own SETTINGS clause, not in the client's `clickhouse_settings`: the
 * embedded connection applies those with SET on its one session, where they would outlive the
 * insert and could meet a concurrent insert's. The clause is written into SQL, so its values are
 * constants and a token that is a hex digest of what identifies the write (a batch id holds the
 * cluster name, which is input; chdb/connection's own SET escaping lets `\'` end a literal).
 */
export function dedupSettings(identity: string): string {
  const token = createHash('sha256').update(identity).digest('hex').slice(0, 32);
  return `insert_deduplicate = 1, insert_deduplication_token = '${token}', deduplicate_blocks_in_dependent_materialized_views = 1, async_insert = 0`;
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
    async insert(operation, table, rows, identity) {
      if (rows.length === 0) return;
      let body = '';
      for (const r of rows) body += `${JSON.stringify(r)}\n`;
      // The same statement on both paths: the server gets it as the query, the rows as the body.
      const query = `INSERT INTO ${qualified(ctx, table)} SETTINGS ${dedupSettings(identity)} FORMAT JSONEachRow`;
      await track(operation, async () => {
        const result = await client.exec({ query, values: Readable.from([body]) });
        result.stream.resume();
        await finished(result.stream);
      });
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
