import { z } from 'zod';
import { OPENSHIFT_SELECTORS } from '../catalog/index.ts';

/**
 * What to collect from one cluster and how: the one request that CLI flags, collector targets
 * and API bodies all produce. It is data (no functions, no secrets but an optional token that
 * is never echoed), so it can be stored in a config file, a KV bucket or an HTTP body.
 */
export const MatcherSchema = z.object({ label: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name'), op: z.enum(['=', '!=', '=~', '!~']), value: z.string() }).strict();

export const SelectorsSchema = z
  .object({
    member: z.array(MatcherSchema).readonly(),
    memberLabel: z.string().min(1),
    node: z.array(MatcherSchema).readonly(),
    nodeLabel: z.string().min(1),
    container: z.array(MatcherSchema).readonly(),
  })
  .strict();

/** The one place where selector defaults live (OpenShift's layout). */
export const DEFAULT_SELECTORS = SelectorsSchema.parse(OPENSHIFT_SELECTORS);

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

export const PrometheusSourceSchema = z
  .object({
    url: httpUrl,
    /** Bearer token; prefer `tokenFile` (read when the source is created, never echoed). */
    token: z.string().min(1).optional(),
    tokenFile: z.string().min(1).optional(),
    caFile: z.string().min(1).optional(),
    insecureSkipVerify: z.boolean().optional(),
    timeoutMs: z.number().int().positive().optional(),
    retries: z.number().int().nonnegative().optional(),
    batchSize: z.number().int().positive().optional(),
    concurrency: z.number().int().positive().optional(),
  })
  .strict();

export const DirectTargetSchema = z.object({ entity: z.string().min(1), url: httpUrl, scope: z.enum(['member', 'node']) }).strict();

export const DirectSourceSchema = z
  .object({
    targets: z.array(DirectTargetSchema).min(1).readonly(),
    intervalSeconds: z.number().positive(),
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();

export const EtcdTlsSchema = z
  .object({
    caFile: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    insecureSkipVerify: z.boolean().optional(),
  })
  .strict();

export const EtcdSourceSchema = z
  .object({
    endpoints: z.array(z.string().min(1)).min(1).readonly(),
    tls: EtcdTlsSchema.optional(),
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();

export const LogsSourceSchema = z.object({ files: z.array(z.string().min(1)).min(1).readonly() }).strict();

export const CollectRequestSchema = z
  .object({
    cluster: z.string().min(1).max(200),
    durationSeconds: z.number().positive(),
    /** End of the window (unix seconds); now by default. Direct collection always runs from now on. */
    end: z.number().positive().optional(),
    stepSeconds: z.number().positive().optional(),
    selectors: SelectorsSchema.default(DEFAULT_SELECTORS),
    /** Pick the member label ("pod" or "instance") from what the etcd targets carry. */
    detectMemberLabel: z.boolean().default(true),
    /** Catalog metric ids to collect; all by default. */
    metrics: z.array(z.string()).readonly().optional(),
    prometheus: PrometheusSourceSchema.optional(),
    direct: DirectSourceSchema.optional(),
    etcd: EtcdSourceSchema.optional(),
    logs: LogsSourceSchema.optional(),
  })
  .strict()
  .refine((r) => !(r.prometheus && r.direct), { message: 'prometheus and direct are exclusive: pick one metric source', path: ['direct'] })
  .refine((r) => Boolean(r.prometheus || r.direct || r.etcd || r.logs), { message: 'no source: give prometheus, direct, etcd or logs' });

export type CollectRequest = z.infer<typeof CollectRequestSchema>;
export type CollectRequestInput = z.input<typeof CollectRequestSchema>;

