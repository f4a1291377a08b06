import { z } from 'zod';
import { DirectTargetSchema, EtcdSourceSchema, LogsSourceSchema, PrometheusSourceSchema, SelectorsSchema } from './collect-request.ts';

/**
 * One cluster the collector watches: its sources (as in a CollectRequest; direct targets are
 * scraped once per tick) and how often. Written in a targets file or in the ETCD_TARGETS KV
 * bucket, and produced by the API; validated strictly wherever it comes from.
 */
export const CollectorTargetSchema = z
  .object({
    cluster: z.string().min(1).max(200),
    /** Seconds between ticks; each tick collects only what is new since the last one. */
    intervalSeconds: z.number().min(5).max(3600).default(30),
    selectors: SelectorsSchema.optional(),
    detectMemberLabel: z.boolean().optional(),
    prometheus: PrometheusSourceSchema.optional(),
    direct: z.object({ targets: z.array(DirectTargetSchema).min(1).readonly(), timeoutMs: z.number().int().positive().optional() }).strict().optional(),
    etcd: EtcdSourceSchema.optional(),
    logs: LogsSourceSchema.optional(),
    /** Paused targets stay configured but are not collected. */
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((t) => !(t.prometheus && t.direct), { message: 'prometheus and direct are exclusive: pick one metric source', path: ['direct'] })
  .refine((t) => Boolean(t.prometheus || t.direct || t.etcd || t.logs), { message: 'no source: give prometheus, direct, etcd or logs' });
export type CollectorTarget = z.infer<typeof CollectorTargetSchema>;
export type CollectorTargetInput = z.input<typeof CollectorTargetSchema>;

/** A targets file (YAML or JSON): cluster names must be unique. */
export const CollectorTargetsFileSchema = z
  .object({ targets: z.array(CollectorTargetSchema) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.targets.forEach((t, i) => {
      if (seen.has(t.cluster)) ctx.addIssue({ code: 'custom', path: ['targets', i, 'cluster'], message: `cluster "${t.cluster}" appears twice` });
      seen.add(t.cluster);
    });
  });
