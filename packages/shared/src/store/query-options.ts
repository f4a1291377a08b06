import { z } from 'zod';
import { FindingStateSchema, SeveritySchema } from '../schema/index.ts';
import { ValidationError } from '../errors/index.ts';
import { cursorSchema } from './cursor.ts';

/**
 * Inputs of the store's queries (the API and the agent pass user input through these). A time is
 * a Date, unix milliseconds, or an ISO-8601 string.
 */
const Time = z.union([z.date(), z.number(), z.string()]).transform((v, ctx) => {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'not a time (Date, unix ms or ISO-8601)' });
    return z.NEVER;
  }
  return Math.round(ms);
});
const Name = z.string().min(1).max(300);

export const SeriesQuerySchema = z
  .object({
    cluster: Name,
    metric: Name,
    member: Name.optional(),
    from: Time,
    to: Time,
    /** At most this many points per series. */
    maxPoints: z.number().int().min(2).max(10_000).default(500),
    /** How a bucket's samples become its point. */
    agg: z.enum(['avg', 'min', 'max', 'last']).default('avg'),
  })
  .strict()
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] });
export type SeriesQuery = z.input<typeof SeriesQuerySchema>;

export const FindingsQuerySchema = z
  .object({
    cluster: Name.optional(),
    severity: SeveritySchema.optional(),
    state: FindingStateSchema.optional(),
    /** Transitions at or after this time. */
    from: Time.optional(),
    to: Time.optional(),
    /** Only each episode's latest transition (what is pending, firing or resolved now). */
    current: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(100),
    cursor: cursorSchema(z.tuple([z.number().int(), z.string(), z.number().int().min(1).max(3)])).optional(),
  })
  .strict();
export type FindingsQuery = z.input<typeof FindingsQuerySchema>;

export const ReportsQuerySchema = z
  .object({
    cluster: Name.optional(),
    from: Time.optional(),
    to: Time.optional(),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: cursorSchema(z.tuple([z.number().int(), z.string()])).optional(),
  })
  .strict();
export type ReportsQuery = z.input<typeof ReportsQuerySchema>;

export const BatchSamplesQuerySchema = z.object({ cluster: Name, batchId: Name }).strict();
export type BatchSamplesQuery = z.input<typeof BatchSamplesQuerySchema>;

export function parseQuery<S extends z.ZodType>(what: string, schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new ValidationError(what, r.error);
  return r.data;
}
