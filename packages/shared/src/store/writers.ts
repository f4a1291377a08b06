import type { FindingEvent, MetricBatch, Report } from '../schema/index.ts';
import type { Runner } from './runner.ts';
import { StoreError } from './store-error.ts';
import { BadTimeError, findingRow, logCountRows, logEventRows, memberStatusRows, reportRow, sampleRows } from './transform.ts';

/**
 * Idempotent writes. Each insert carries a deduplication token derived from what it stores (the
 * batch id, the finding's `<id>:<state>`, the report id), so a JetStream redelivery after a crash,
 * or a second analyzer writing the same batch, stores it once — rollups included.
 *
 * Why tokens (insert_deduplication_token + MergeTree's non_replicated_deduplication_window) rather
 * than ReplacingMergeTree + FINAL or a "seen batches" table: measured on both backends, a repeated
 * insert is dropped at insert time, so plain MergeTree reads stay exact without FINAL, and the
 * materialized rollups never see the duplicate (a ReplacingMergeTree source would have fed both
 * copies to the views, counting them twice). A check-then-insert table races between two
 * analyzers; the token check happens inside the engine, under the table's insert lock.
 */

export interface WriteBatchResult {
  readonly samples: number;
  readonly memberStatus: number;
  readonly logEvents: number;
  readonly logCounts: number;
  /** Points whose time or value was not a finite number (stored as gaps). */
  readonly skippedPoints: number;
}

function rowsOrFail<T>(run: Runner, operation: string, what: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof BadTimeError) throw new StoreError(`${operation}: ${what}: ${e.message}`, { operation, target: run.target });
    throw e;
  }
}

export async function writeBatch(run: Runner, batch: MetricBatch): Promise<WriteBatchResult> {
  const op = 'writeBatch';
  const what = `batch ${batch.id}`;
  const { rows: samples, skipped } = rowsOrFail(run, op, what, () => sampleRows(batch));
  const status = rowsOrFail(run, op, what, () => memberStatusRows(batch));
  const events = rowsOrFail(run, op, what, () => logEventRows(batch));
  const counts = rowsOrFail(run, op, what, () => logCountRows(batch));
  // Samples last: a consumer that sees them knows the rest of the batch is stored too.
  await run.insert(`${op}: member_status`, 'member_status', status, batch.id);
  await run.insert(`${op}: log_events`, 'log_events', events, batch.id);
  await run.insert(`${op}: log_counts`, 'log_counts', counts, batch.id);
  await run.insert(`${op}: samples`, 'samples', samples, batch.id);
  return { samples: samples.length, memberStatus: status.length, logEvents: events.length, logCounts: counts.length, skippedPoints: skipped };
}

export async function writeFindingEvent(run: Runner, event: FindingEvent): Promise<void> {
  const row = rowsOrFail(run, 'writeFindingEvent', `finding ${event.id}`, () => findingRow(event));
  await run.insert('writeFindingEvent', 'findings', [row], `${event.id}:${event.state}`);
}

export async function writeReport(run: Runner, cluster: string, report: Report): Promise<void> {
  const row = rowsOrFail(run, 'writeReport', `report ${report.id}`, () => reportRow(cluster, report));
  await run.insert('writeReport', 'reports', [row], `${cluster}:${report.id}`);
}
