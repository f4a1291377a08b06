import { z } from 'zod';

/**
 * Paging cursors: the sort key of the last row of a page, opaque to callers (base64url JSON).
 * The next page starts strictly after it, so rows inserted meanwhile never shift a page.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A schema that decodes a cursor string into `key` (an error says it is not one of ours). */
export function cursorSchema<T extends z.ZodType>(key: T): z.ZodType<z.output<T>, string> {
  return z
    .string()
    .max(2000)
    .transform((s, ctx) => {
      try {
        return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a cursor this store issued' });
        return z.NEVER;
      }
    })
    .pipe(key) as unknown as z.ZodType<z.output<T>, string>;
}
