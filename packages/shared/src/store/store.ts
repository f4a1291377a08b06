import { z } from 'zod';
import { ConfigError } from '../errors/index.ts';
import { type FindingEvent, type MetricBatch, type Report, type StoreConfigInput, StoreConfigSchema } from '../schema/index.ts';
import { connect } from './connect.ts';
import { createDdlContext } from './ddl.ts';
import { migrate, type MigrateResult } from './migrate.ts';
import { queryFindings, type FindingsPage } from './queries/findings.ts';
import { queryReport, queryReports, type ReportsPage } from './queries/reports.ts';
import { querySeries, type SeriesResult } from './queries/series.ts';
import { type ClusterInfo, type MemberStatus, queryBatchSamples, queryClusters, queryMemberStatus, type StoredSample } from './queries/status.ts';
import type { BatchSamplesQuery, FindingsQuery, ReportsQuery, SeriesQuery } from './query-options.ts';
import { createRunner } from './runner.ts';
import { StoreError } from './store-error.ts';
import { writeBatch, type WriteBatchResult, writeFindingEvent, writeReport } from './writers.ts';

/** History in ClickHouse: migrations, idempotent writers, parameterised queries. */
export interface Store {
  readonly backend: 'server' | 'embedded';
  /** Where the store lives, safe to print: the URL without credentials, or `chdb:<dir>`. */
  readonly target: string;
  readonly database: string;
  readonly readonly: boolean;
  /** Applies the missing migrations, then aligns TTLs with the configured retention. Safe at every start. */
  migrate(): Promise<MigrateResult>;
  /** Stores a batch's samples, member status and log events; a batch id already stored is not stored again. */
  writeBatch(batch: MetricBatch): Promise<WriteBatchResult>;
  /** Stores a finding transition once per (episode id, state). */
  writeFindingEvent(event: FindingEvent): Promise<void>;
  /** Stores a report once per (cluster, report id). */
  writeReport(cluster: string, report: Report): Promise<void>;
  clusters(): Promise<ClusterInfo[]>;
  series(query: SeriesQuery): Promise<SeriesResult>;
  memberStatus(cluster: string): Promise<MemberStatus[]>;
  findings(query?: FindingsQuery): Promise<FindingsPage>;
  reports(query?: ReportsQuery): Promise<ReportsPage>;
  report(id: string): Promise<Report | null>;
  batchSamples(query: BatchSamplesQuery): Promise<StoredSample[]>;
  /**
   * Any SELECT, values as `{name:Type}` placeholders bound from `params` server-side; unqualified
   * table names resolve in the store's database. On a read-only store the engine refuses
   * anything but reading.
   */
  query(sql: string, params?: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
  /** Whether the store answers a query now (for readiness checks); never throws. */
  ping(): Promise<boolean>;
  /** Waits for operations in flight, then closes. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the store: validates the config (a ConfigError names each bad key), connects (a
 * StoreError says why it could not, never with the password), and for a writer makes sure the
 * database exists. Call `migrate()` before writing.
 */
export async function createStore(input: StoreConfigInput): Promise<Store> {
  const parsed = StoreConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid store config: ${issues.join('; ')}`, { keys: parsed.error.issues.map((i) => i.path.join('.')).join(',') });
  }
  const config = parsed.data;
  const ctx = createDdlContext(config);
  const conn = await connect(config);
  const run = createRunner(conn.client, ctx, conn.target, conn.secrets);
  let closed = false;
  const guard =
    <A extends unknown[], R>(operation: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (closed) throw new StoreError(`${conn.target}: ${operation}: the store is closed`, { operation, target: conn.target });
      return fn(...args);
    };
  return {
    backend: conn.backend,
    target: conn.target,
    database: config.database,
    readonly: config.readonly,
    migrate: guard('migrate', () => migrate(run)),
    writeBatch: guard('writeBatch', (batch: MetricBatch) => writeBatch(run, batch)),
    writeFindingEvent: guard('writeFindingEvent', (event: FindingEvent) => writeFindingEvent(run, event)),
    writeReport: guard('writeReport', (cluster: string, report: Report) => writeReport(run, cluster, report)),
    clusters: guard('clusters', () => queryClusters(run)),
    series: guard('series', (query: SeriesQuery) => querySeries(run, query)),
    memberStatus: guard('memberStatus', (cluster: string) => queryMemberStatus(run, cluster)),
    findings: guard('findings', (query?: FindingsQuery) => queryFindings(run, query)),
    reports: guard('reports', (query?: ReportsQuery) => queryReports(run, query)),
    report: guard('report', (id: string) => queryReport(run, id)),
    batchSamples: guard('batchSamples', (query: BatchSamplesQuery) => queryBatchSamples(run, query)),
    query: guard('query', (sql: string, params: Record<string, unknown> = {}) => run.rows('query', sql, params, z.record(z.string(), z.unknown()))),
    async ping() {
      if (closed) return false;
      return run.rows('ping', 'SELECT 1 AS ok', {}, z.object({ ok: z.number() })).then(
        () => true,
        () => false,
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await run.drain();
      await conn.client.close();
    },
  };
}
