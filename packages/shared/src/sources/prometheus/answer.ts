import { z } from 'zod';

/** Prometheus HTTP API answers (https://prometheus.io/docs/prometheus/latest/querying/api/). */
const SampleValue = z.tuple([z.number(), z.string()]);

// Samples are checked by toSeries, not by zod: a 1 h analysis brings ~50 000 of them and zod's
// per-element checks cost ~30 ms of a cold start; the envelope and labels stay zod-validated.
export const MatrixResultSchema = z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.unknown()) }));
export const VectorResultSchema = z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.unknown() }));

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

/** A sample that is not [unix seconds, "value"]: the answer is not what the API promises. */
export class MalformedSampleError extends Error {
  override name = 'MalformedSampleError';
}

function sample(v: unknown, where: string): [number, number] | null {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'string') {
    throw new MalformedSampleError(`${where}: expected [unix time, "value"], got ${JSON.stringify(v)?.slice(0, 60)}`);
  }
  // NaN and ±Inf (a rate over no samples, a division by zero) carry no measurement.
  const n = Number(v[1]);
  return Number.isFinite(n) ? [v[0], n] : null;
}

/** The answer's series with numeric points; throws MalformedSampleError naming the bad sample. */
export function toSeries(answer: Extract<PromAnswer, { status: 'success' }>): PromSeries[] {
  const d = answer.data;
  if (d.resultType === 'matrix') {
    return d.result.map((r, i) => {
      const points: Array<[number, number]> = [];
      for (let j = 0; j < r.values.length; j++) {
        const p = sample(r.values[j], `data.result.${i}.values.${j}`);
        if (p) points.push(p);
      }
      return { labels: r.metric, points };
    });
  }
  if (d.resultType === 'vector') {
    return d.result.map((r, i) => {
      const p = sample(r.value, `data.result.${i}.value`);
      return { labels: r.metric, points: p ? [p] : [] };
    });
  }
  const p = sample(d.result, 'data.result');
  return [{ labels: {}, points: p && d.resultType === 'scalar' ? [p] : [] }];
}
