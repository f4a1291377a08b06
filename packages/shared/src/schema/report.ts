import { z } from 'zod';
import { ProblemSchema } from './snapshot.ts';

export const REPORT_SCHEMA_VERSION = 1;

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
  value: z.number().nullable(),
  unit: z.string(),
  threshold: z.number().nullable(),
  status: StatusSchema,
  baseline: z.number().nullable().optional(),
  change: z.number().nullable().optional(),
});
export type Kpi = z.infer<typeof KpiSchema>;

export const FindingSchema = z.object({
  id: z.string(),
  rule: z.string(),
  severity: SeveritySchema,
  category: z.string(),
  subsystem: SubsystemSchema,
  member: z.string().nullable(),
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
  confidence: z.number().min(0).max(1),
  subsystem: SubsystemSchema,
  evidence: z.array(z.string()),
  recommendations: z.array(RecommendationSchema),
});
export type RootCause = z.infer<typeof RootCauseSchema>;

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
  findings: z.array(FindingSchema),
  rootCauses: z.array(RootCauseSchema),
  recommendations: z.array(RecommendationSchema),
  problems: z.array(ProblemSchema),
  charts: z.array(ChartSchema),
  baseline: z.object({ id: z.string(), generatedAt: z.string() }).nullable(),
});
export type Report = z.infer<typeof ReportSchema>;
