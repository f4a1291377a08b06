import { z } from 'zod';
import { type FindingEvent, FindingEventSchema, FINDING_EVENT_SCHEMA_VERSION } from '../../schema/index.ts';
import { encodeCursor } from '../cursor.ts';
import { type FindingsQuery, FindingsQuerySchema, parseQuery } from '../query-options.ts';
import type { Runner } from '../runner.ts';
import { StoreError } from '../store-error.ts';
import { Int, iso } from './columns.ts';

export interface FindingsPage {
  readonly items: FindingEvent[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

const Row = z.object({
  id: z.string(),
  cluster: z.string(),
  state: z.string(),
  since_ms: Int,
  at_ms: Int,
  rank: Int,
  finding_id: z.string(),
  rule: z.string(),
  role: z.string(),
  severity: z.string(),
  category: z.string(),
  subsystem: z.string(),
  member: z.string(),
  peer: z.string(),
  summary: z.string(),
  evidence: z.string(),
  root_causes: z.string(),
});

const RANK = "multiIf(state = 'resolved', 3, state = 'firing', 2, 1)";

/**
 * Finding transitions, newest first (at, then episode id, then state), filtered and paged.
 * With `current`, only each episode's latest transition counts (filters apply to it).
 */
export async function queryFindings(run: Runner, input: FindingsQuery = {}): Promise<FindingsPage> {
  const q = parseQuery('findings query', FindingsQuerySchema, input);
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit + 1 };
  if (q.cluster !== undefined) {
    where.push('cluster = {cluster:String}');
    params.cluster = q.cluster;
  }
  if (q.severity !== undefined) {
    where.push('severity = {severity:String}');
    params.severity = q.severity;
  }
  if (q.state !== undefined) {
    where.push('state = {state:String}');
    params.state = q.state;
  }
  if (q.from !== undefined) {
    where.push("at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')");
    params.from = q.from;
  }
  if (q.to !== undefined) {
    where.push("at <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')");
    params.to = q.to;
  }
  if (q.cursor !== undefined) {
    where.push('(toUnixTimestamp64Milli(at), id, rank) < ({c_at:Int64}, {c_id:String}, {c_rank:UInt8})');
    [params.c_at, params.c_id, params.c_rank] = q.cursor;
  }
  const source = q.current
    ? `(SELECT *, ${RANK} AS rank FROM ${run.table('findings')} ${q.cluster !== undefined ? 'WHERE cluster = {cluster:String}' : ''} ORDER BY at DESC, rank DESC LIMIT 1 BY id)`
    : `(SELECT *, ${RANK} AS rank FROM ${run.table('findings')})`;
  const sql = `SELECT id, cluster, state, toUnixTimestamp64Milli(since) AS since_ms, toUnixTimestamp64Milli(at) AS at_ms, rank,
  finding_id, rule, role, severity, category, subsystem, member, peer, summary, evidence, root_causes
FROM ${source}
${where.length ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY at DESC, id DESC, rank DESC
LIMIT {limit:UInt32}`;
  const rows = await run.rows('findings', sql, params, Row);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map((r) => toEvent(run, r)), nextCursor: rows.length > q.limit && last ? encodeCursor([last.at_ms, last.id, last.rank]) : null };
}

function toEvent(run: Runner, r: z.output<typeof Row>): FindingEvent {
  const event = {
    schemaVersion: FINDING_EVENT_SCHEMA_VERSION,
    id: r.id,
    cluster: r.cluster,
    state: r.state,
    since: iso(r.since_ms),
    at: iso(r.at_ms),
    finding: { id: r.finding_id, rule: r.rule, role: r.role, severity: r.severity, category: r.category, subsystem: r.subsystem, member: r.member === '' ? null : r.member, ...(r.peer === '' ? {} : { peer: r.peer }), summary: r.summary, evidence: JSON.parse(r.evidence) as unknown },
    rootCauses: JSON.parse(r.root_causes) as unknown,
  };
  const parsed = FindingEventSchema.safeParse(event);
  if (!parsed.success) throw new StoreError(`${run.target}: findings: stored transition ${r.id}:${r.state} does not match the FindingEvent schema: ${parsed.error.issues[0]?.message ?? ''}`, { operation: 'findings', target: run.target });
  return parsed.data;
}
