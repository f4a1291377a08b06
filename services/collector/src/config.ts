import { hostname } from 'node:os';
import { z } from 'zod';

/** The collector's environment, parsed once in main.ts (every bad variable named). */
export const CollectorEnvSchema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  NATS_TOKEN: z.string().min(1).optional(),
  /** A YAML/JSON file of targets; more come and go through the ETCD_TARGETS KV bucket. */
  COLLECTOR_TARGETS_FILE: z.string().min(1).optional(),
  /** This instance's name in leases; unique per process. */
  COLLECTOR_INSTANCE: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only').default(`${hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${process.pid}`),
  /** How long a dead instance's targets wait before another takes them over. */
  COLLECTOR_LEASE_TTL_MS: z.coerce.number().int().min(1000).default(15_000),
  /** The longest gap a tick catches up on after a takeover or a restart (Prometheus keeps history). */
  COLLECTOR_MAX_CATCH_UP_SECONDS: z.coerce.number().int().min(0).default(300),
  COLLECTOR_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  COLLECTOR_HTTP_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type CollectorEnv = z.infer<typeof CollectorEnvSchema>;
