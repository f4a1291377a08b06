import { z } from 'zod';

/**
 * Prometheus HTTP API answers (https://prometheus.io/docs/prometheus/latest/querying/api/). The
 * result is read as it streams in (answer-reader.ts), sample by sample; what surrounds it, the
 * envelope, is checked here.
 */
export const AnswerEnvelopeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('success'), resultType: z.enum(['matrix', 'vector', 'scalar', 'string']), warnings: z.array(z.string()) }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string(), warnings: z.array(z.string()) }),
]);
export type AnswerEnvelopeChecked = z.infer<typeof AnswerEnvelopeSchema>;

/** One series of a query result: its labels and its numeric samples (NaN and ±Inf dropped). */
export interface PromSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: Array<[number, number]>;
}

/** A part of the result that is not what the API promises; the message gives its path. */
export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswerError';
}
