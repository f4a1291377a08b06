import { z } from 'zod';

/** Prometheus HTTP API answers (https://prometheus.io/docs/prometheus/latest/querying/api/). */
const SampleValue = z.tuple([z.number(), z.string()]);

export const MatrixResultSchema = z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(SampleValue) }));
export const VectorResultSchema = z.array(z.object({ metric: z.record(z.string(), z.string()), value: SampleValue }));

export const PromAnswerSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({ resultType: z.literal('matrix'), result: MatrixResultSchema }),
      z.object({ resultType: z.literal('vector'), result: VectorResultSchema }),
      z.object({ resultType: z.literal('scalar'), result: SampleValue }),
      z.object({ resultType: z.literal('string'), result: SampleValue }),
    ]),
    warnings: z.array(z.string()).optional(),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);
export type PromAnswer = z.infer<typeof PromAnswerSchema>;

/** One series of a query result: its labels and its numeric samples (NaN and ±Inf dropped). */
export interface PromSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: Array<[number, number]>;
}

export function toSeries(answer: Extract<PromAnswer, { status: 'success' }>): PromSeries[] {
  const d = answer.data;
  const keep = (t: number, v: string): [number, number] | null => {
    const n = Number(v);
    return Number.isFinite(n) ? [t, n] : null;
  };
  if (d.resultType === 'matrix') {
    return d.result.map((r) => ({ labels: r.metric, points: r.values.map(([t, v]) => keep(t, v)).filter((p) => p !== null) }));
  }
  if (d.resultType === 'vector') {
    return d.result.map((r) => ({ labels: r.metric, points: [keep(r.value[0], r.value[1])].filter((p) => p !== null) }));
  }
  const p = keep(d.result[0], d.result[1]);
  return [{ labels: {}, points: p && d.resultType === 'scalar' ? [p] : [] }];
}
