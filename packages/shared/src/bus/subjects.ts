import { createHash } from 'node:crypto';
import { SeveritySchema, type Severity } from '../schema/index.ts';
import { InvalidSubjectTokenError } from './errors.ts';

/**
 * Every subject the product uses, built here from constants and nowhere else. Variable parts
 * (cluster, category, severity, DLQ source) become single subject tokens, checked against the
 * named patterns below; a bad value is an error that quotes it.
 */

export const SUBJECT_ROOT = 'etcd';
export const METRICS_PREFIX = `${SUBJECT_ROOT}.metrics`;
export const FINDINGS_PREFIX = `${SUBJECT_ROOT}.findings`;
export const REPORTS_PREFIX = `${SUBJECT_ROOT}.reports`;
export const DLQ_PREFIX = `${SUBJECT_ROOT}.dlq`;
/** Request/reply: a question for the agent. */
export const AGENT_ASK_SUBJECT = `${SUBJECT_ROOT}.agent.ask`;
/** Request/reply: an on-demand deep analysis. */
export const CMD_ANALYZE_SUBJECT = `${SUBJECT_ROOT}.cmd.analyze`;

/** A character a token keeps as it is; every other character becomes `_`. */
export const TOKEN_UNSAFE_CHARS = /[^A-Za-z0-9_-]/g;
/** A finished cluster token. */
export const CLUSTER_TOKEN = /^[A-Za-z0-9_-]{1,80}$/;
/** The suffix a sanitised cluster token ends with: `__` and 8 hex digits of SHA-256 of the name. */
export const SANITISED_SUFFIX = /__[0-9a-f]{8}$/;
/** A category: a camelCase-ish word as the catalog and rules use (`walFsync`, `disk`). */
export const CATEGORY_TOKEN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** A DLQ source: a short lower-case word (`metrics`, `findings`). */
export const SOURCE_TOKEN = /^[a-z][a-z0-9_-]{0,31}$/;
/** Longest cluster token, suffix included. */
export const MAX_CLUSTER_TOKEN = 80;

const HASH_LEN = 8;

/**
 * The subject token of a cluster id. A name made only of [A-Za-z0-9_-] (and short enough) is
 * used as is; any other name has each other character replaced by `_` and gets `__<hash>`
 * appended, the hash taken over the original name. A name that already looks sanitised gets the
 * suffix too, so the two kinds of output never meet and two different names never share a token
 * (short of a 32-bit hash collision between two names that both needed sanitising).
 */
export function clusterToken(cluster: string): string {
  if (cluster.length === 0) throw new InvalidSubjectTokenError('cluster', cluster, 'must not be empty');
  const cleaned = cluster.replace(TOKEN_UNSAFE_CHARS, '_');
  if (cleaned === cluster && cluster.length <= MAX_CLUSTER_TOKEN && !SANITISED_SUFFIX.test(cluster)) return cluster;
  const hash = createHash('sha256').update(cluster, 'utf8').digest('hex').slice(0, HASH_LEN);
  return `${cleaned.slice(0, MAX_CLUSTER_TOKEN - HASH_LEN - 2)}__${hash}`;
}

function categoryToken(category: string): string {
  if (!CATEGORY_TOKEN.test(category)) throw new InvalidSubjectTokenError('category', category, `must match ${CATEGORY_TOKEN}`);
  return category;
}

function severityToken(severity: string): Severity {
  const r = SeveritySchema.safeParse(severity);
  if (!r.success) throw new InvalidSubjectTokenError('severity', severity, `must be one of ${SeveritySchema.options.join(', ')}`);
  return r.data;
}

function sourceToken(source: string): string {
  if (!SOURCE_TOKEN.test(source)) throw new InvalidSubjectTokenError('DLQ source', source, `must match ${SOURCE_TOKEN}`);
  return source;
}

/** `etcd.metrics.<cluster>.<category>`: one MetricBatch. */
export function metricsSubject(cluster: string, category: string): string {
  return `${METRICS_PREFIX}.${clusterToken(cluster)}.${categoryToken(category)}`;
}

/** `etcd.findings.<cluster>.<severity>.<category>`: one FindingEvent. */
export function findingsSubject(cluster: string, severity: string, category: string): string {
  return `${FINDINGS_PREFIX}.${clusterToken(cluster)}.${severityToken(severity)}.${categoryToken(category)}`;
}

/** `etcd.reports.<cluster>`: one finished Report. */
export function reportsSubject(cluster: string): string {
  return `${REPORTS_PREFIX}.${clusterToken(cluster)}`;
}

/** `etcd.dlq.<source>`: one DlqMessage. */
export function dlqSubject(source: string): string {
  return `${DLQ_PREFIX}.${sourceToken(source)}`;
}

/** What a subscriber wants; an omitted part matches everything. */
export interface SubjectFilter {
  cluster?: string;
  category?: string;
  severity?: string;
}

/** `etcd.metrics.>` or `etcd.metrics.<cluster|*>.<category|*>`. */
export function metricsFilter(f: Pick<SubjectFilter, 'cluster' | 'category'> = {}): string {
  if (f.cluster === undefined && f.category === undefined) return `${METRICS_PREFIX}.>`;
  return `${METRICS_PREFIX}.${f.cluster === undefined ? '*' : clusterToken(f.cluster)}.${f.category === undefined ? '*' : categoryToken(f.category)}`;
}

/** `etcd.findings.>` or `etcd.findings.<cluster|*>.<severity|*>.<category|*>`. */
export function findingsFilter(f: SubjectFilter = {}): string {
  if (f.cluster === undefined && f.severity === undefined && f.category === undefined) return `${FINDINGS_PREFIX}.>`;
  const c = f.cluster === undefined ? '*' : clusterToken(f.cluster);
  const s = f.severity === undefined ? '*' : severityToken(f.severity);
  const k = f.category === undefined ? '*' : categoryToken(f.category);
  return `${FINDINGS_PREFIX}.${c}.${s}.${k}`;
}

/** `etcd.reports.>` or `etcd.reports.<cluster>`. */
export function reportsFilter(f: Pick<SubjectFilter, 'cluster'> = {}): string {
  return f.cluster === undefined ? `${REPORTS_PREFIX}.>` : reportsSubject(f.cluster);
}

/** `etcd.dlq.>`. */
export function dlqFilter(): string {
  return `${DLQ_PREFIX}.>`;
}

/** The parts of a subject this module built; cluster is the token, not the original name. */
export type ParsedSubject =
  | { kind: 'metrics'; clusterToken: string; category: string }
  | { kind: 'findings'; clusterToken: string; severity: Severity; category: string }
  | { kind: 'reports'; clusterToken: string }
  | { kind: 'dlq'; source: string };

/** Parses a concrete subject built here, or returns null. */
export function parseSubject(subject: string): ParsedSubject | null {
  const t = subject.split('.');
  if (t[0] !== SUBJECT_ROOT) return null;
  const [, kind, a, b, c] = t;
  const okCluster = (x: string | undefined): x is string => x !== undefined && CLUSTER_TOKEN.test(x);
  if (kind === 'metrics' && t.length === 4 && okCluster(a) && b !== undefined && CATEGORY_TOKEN.test(b)) return { kind, clusterToken: a, category: b };
  if (kind === 'findings' && t.length === 5 && okCluster(a) && c !== undefined && CATEGORY_TOKEN.test(c)) {
    const s = SeveritySchema.safeParse(b);
    return s.success ? { kind, clusterToken: a, severity: s.data, category: c } : null;
  }
  if (kind === 'reports' && t.length === 3 && okCluster(a)) return { kind, clusterToken: a };
  if (kind === 'dlq' && t.length === 3 && a !== undefined && SOURCE_TOKEN.test(a)) return { kind, source: a };
  return null;
}
