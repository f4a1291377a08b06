import type { z } from 'zod';
import { ConfigError } from '../errors/index.ts';

/**
 * Parses a service's environment with its schema, once, in main.ts. Every bad variable is listed
 * by name in one error, and the process fails fast (services must not guess).
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const r = schema.safeParse(env);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
  throw new ConfigError(`invalid environment:\n  ${lines.join('\n  ')}`);
}
