import { z } from 'zod';
import { type Report, ReportSchema, type Status } from '../../schema/index.ts';
import { encodeCursor } from '../cursor.ts';
import { parseQuery, type ReportsQuery, ReportsQuerySchema } from '../query-options.ts';
import type { Runner } from '../runner.ts';
import { StoreError } from '../store-error.ts';
import { Int, iso } from './columns.ts';

export interface ReportSummary {
  readonly id: string;
  readonly cluster: string;
  readonly generatedAt: string;
  readonly window: { start: string; end: string };
  readonly status: Status;
  readonly score: number | null;
  readonly grade: string;
  readonly headline: string;
  readonly findings: number;
  readonly risks: number;
}

export interface ReportsPage {
  readonly items: ReportSummary[];
  readonly nextCursor: string | null;
}

const SummaryRow = z.object({
  id: z.string(),
  cluster: z.string(),
  generated_ms: Int,
  start_ms: Int,
  end_ms: Int,
  status: z.enum(['healthy', 'warning', 'critical', 'unknown']),
  score: z.number().nullable(),
  grade: z.string(),
  headline: z.string(),
  findings: z.number(),
  risks: z.number(),
});

/** Reports newest first, optionally of one cluster and a time range, paged. */
export async function queryReports(run: Runner, input: ReportsQuery = {}): Promise<ReportsPage> {
  const q = parseQuery('reports query', ReportsQuerySchema, input);
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit + 1 };
  if (q.cluster !== undefined) {
    where.push('cluster = {cluster:String}');
    params.cluster = q.cluster;
  }
  if (q.from !== undefined) {
    where.push("generated_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')");
    params.from = q.from;
  }
  if (q.to !== undefined) {
    where.push("generated_at <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')");
    params.to = q.to;
  }
  if (q.cursor !== undefined) {
    where.push('(toUnixTimestamp64Milli(generated_at), id) < ({c_at:Int64}, {c_id:String})');
    [params.c_at, params.c_id] = q.cursor;
  }
  const sql = `SELECT id, cluster, toUnixTimestamp64Milli(generated_at) AS generated_ms, toUnixTimestamp64Milli(window_start) AS start_ms,
  toUnixTimestamp64Milli(window_end) AS end_ms, status, score, grade, headline, findings, risks
FROM ${run.table('reports')}
${where.length ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY generated_at DESC, id DESC
LIMIT {limit:UInt32}`;
  const rows = await run.rows('reports', sql, params, SummaryRow);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ id: r.id, cluster: r.cluster, generatedAt: iso(r.generated_ms), window: { start: iso(r.start_ms), end: iso(r.end_ms) }, status: r.status, score: r.score, grade: r.grade, headline: r.headline, findings: r.findings, risks: r.risks })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.generated_ms, last.id]) : null,
  };
}

/** One report by id (the newest when a cluster stored it twice under one id), or null. */
export async function queryReport(run: Runner, id: string): Promise<Report | null> {
  const rows = await run.rows('report', `SELECT report FROM ${run.table('reports')} WHERE id = {id:String} ORDER BY generated_at DESC LIMIT 1`, { id }, z.object({ report: z.string() }));
  const row = rows[0];
  if (!row) return null;
  const parsed = ReportSchema.safeParse(JSON.parse(row.report));
  if (!parsed.success) throw new StoreError(`${run.target}: report ${id} as stored does not match the Report schema: ${parsed.error.issues[0]?.message ?? ''}`, { operation: 'report', target: run.target });
  return parsed.data;
}
