import { z } from 'zod';
import { ProblemSchema } from './snapshot.ts';

/** 2: symptom findings apart from risks, coverage, judged KPI values, causes with what they explain. */
export const REPORT_SCHEMA_VERSION = 2;

export const StatusSchema = z.enum(['healthy', 'warning', 'critical', 'unknown']);
export type Status = z.infer<typeof StatusSchema>;
export const SeveritySchema = z.enum(['warning', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;
export const SubsystemSchema = z.enum(['disk', 'network', 'consensus', 'resources', 'database']);
export type Subsystem = z.infer<typeof SubsystemSchema>;

export const EvidenceSchema = z.object({
  metric: z.string(),
  member: z.string().nullable(),
  value: z.number(),
  unit: z.string(),
  threshold: z.number().optional(),
  /** How the value was taken, e.g. "p99 over the window", "sustained 12m of 15m". */
  basis: z.string(),
  window: z.object({ start: z.string(), end: z.string() }).optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const KpiSchema = z.object({
  id: z.string(),
  label: z.string(),
  member: z.string().nullable(),
  /** The latest value (for whole-window signals, the window's value). */
  value: z.number().nullable(),
  unit: z.string(),
  threshold: z.number().nullable(),
  status: StatusSchema,
  /** The value the finding behind `status` judged (the level held, or the peak), when one fired. */
  judged: z.number().nullable().optional(),
  /** How `judged` was taken, e.g. "held for 120 s (needs 60 s)". */
  judgedBasis: z.string().optional(),
  /** The finding behind `status` is a risk (a resource signal with no etcd symptom), not a symptom. */
  risk: z.boolean().optional(),
  baseline: z.number().nullable().optional(),
  change: z.number().nullable().optional(),
});
export type Kpi = z.infer<typeof KpiSchema>;

/**
 * symptom: etcd itself is slow, unavailable or out of space; it decides the status.
 * risk: a condition that can cause symptoms (CPU, memory, iowait, drops, DB size); with no symptom
 * to explain it raises neither status nor exit code.
 */
export const FindingRoleSchema = z.enum(['symptom', 'risk']);
export type FindingRole = z.infer<typeof FindingRoleSchema>;

export const FindingSchema = z.object({
  id: z.string(),
  rule: z.string(),
  role: FindingRoleSchema,
  severity: SeveritySchema,
  category: z.string(),
  subsystem: SubsystemSchema,
  member: z.string().nullable(),
  /** The remote member of a per-peer finding (by name). */
  peer: z.string().optional(),
  summary: z.string(),
  evidence: z.array(EvidenceSchema),
});
export type Finding = z.infer<typeof FindingSchema>;

export const RecommendationSchema = z.object({
  priority: z.number().int().min(1),
  category: z.string(),
  action: z.string(),
  rationale: z.string(),
  /** The exact command or setting to check. */
  command: z.string().optional(),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

export const RootCauseSchema = z.object({
  id: z.string(),
  cause: z.string(),
  member: z.string().nullable(),
  /** Where the cause sits: "member etcd-2", or "cluster-wide: <why>". */
  where: z.string(),
  confidence: z.number().min(0).max(1),
  /** Ids of the symptom findings this cause explains (never empty). */
  explains: z.array(z.string()).min(1),
  subsystem: SubsystemSchema,
  evidence: z.array(z.string()),
  recommendations: z.array(RecommendationSchema),
});
export type RootCause = z.infer<typeof RootCauseSchema>;

/** Whether the signals a verdict needs were there, per member. */
export const CoverageSchema = z.object({
  /** Every present member has every core signal, and no answer was partial. */
  complete: z.boolean(),
  /** The core signal ids expected per member. */
  signals: z.array(z.string()),
  members: z.array(
    z.object({
      member: z.string(),
      /** The member stopped reporting: its absence is a finding, not a coverage gap. */
      down: z.boolean(),
      present: z.number().int().nonnegative(),
      expected: z.number().int().nonnegative(),
      missing: z.array(z.string()),
      /** Signals whose answer was partial (Prometheus/Thanos warnings). */
      partial: z.array(z.string()),
      /** Share of the window the member's core signals cover (0..1). */
      span: z.number().min(0).max(1),
    }),
  ),
  summary: z.string(),
});
export type Coverage = z.infer<typeof CoverageSchema>;

export const ChartSeriesSchema = z.object({ member: z.string(), points: z.array(z.tuple([z.number(), z.number()])) });
export const ChartSchema = z.object({ metric: z.string(), title: z.string(), unit: z.string(), threshold: z.number().nullable(), series: z.array(ChartSeriesSchema) });
export type Chart = z.infer<typeof ChartSchema>;

export const ReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  id: z.string(),
  generatedAt: z.string(),
  cluster: z.string(),
  source: z.string(),
  window: z.object({ start: z.string(), end: z.string() }),
  status: StatusSchema,
  score: z.number().min(0).max(100).nullable(),
  grade: z.enum(['A', 'B', 'C', 'D', 'F', '?']),
  headline: z.string(),
  members: z.array(z.object({ name: z.string(), present: z.boolean(), leader: z.boolean().optional() })),
  subsystems: z.array(z.object({ name: SubsystemSchema, score: z.number().min(0).max(100).nullable(), status: StatusSchema, summary: z.string() })),
  kpis: z.array(KpiSchema),
  coverage: CoverageSchema,
  /** Symptoms: they decide the status. */
  findings: z.array(FindingSchema),
  /** Risks: conditions beyond target with no say in the status (see FindingRoleSchema). */
  risks: z.array(FindingSchema),
  /** Log events the window left out (they are counted, never judged). */
  logsOutsideWindow: z.number().int().nonnegative().optional(),
  rootCauses: z.array(RootCauseSchema),
  recommendations: z.array(RecommendationSchema),
  problems: z.array(ProblemSchema),
  charts: z.array(ChartSchema),
  baseline: z.object({ id: z.string(), generatedAt: z.string() }).nullable(),
});
export type Report = z.infer<typeof ReportSchema>;
