import { z } from 'zod';

/**
 * A ClickHouse identifier we may interpolate into DDL (DDL cannot take query parameters): letters,
 * digits and `_`, not starting with a digit.
 */
export const CLICKHOUSE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const ttlDays = (what: string, fallback: number) =>
  z
    .number({ error: `${what}: a whole number of days` })
    .int({ error: `${what}: a whole number of days` })
    .min(1, { error: `${what}: at least 1 day` })
    .max(36_500, { error: `${what}: at most 36500 days` })
    .default(fallback);

/**
 * Where history lives: a ClickHouse server when `url` is set (CLICKHOUSE_URL), otherwise the
 * embedded engine (chDB) in `dataDir`. Embedded storage serves one process; several processes
 * (two analyzers, an agent beside them) need a server.
 *
 * Secrets: `password` is never logged nor put in an error; the URL must not carry credentials
 * (an error would have to print it), so they go in `username`/`password`.
 */
export const StoreConfigSchema = z
  .object({
    /** http(s)://host:port[/path] of a ClickHouse server's HTTP interface, without credentials or query. */
    url: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        let u: URL;
        try {
          u = new URL(value);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'not a URL (expected http(s)://host:8123)' });
          return;
        }
        if (u.protocol !== 'http:' && u.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: `protocol must be http: or https:, not ${u.protocol}` });
        if (u.username || u.password) ctx.addIssue({ code: 'custom', message: 'must not carry credentials: set username and password instead' });
        if (u.search || u.hash) ctx.addIssue({ code: 'custom', message: 'must not carry a query or fragment: settings and the database are separate keys' });
      }),
    username: z.string().min(1).default('default'),
    password: z.string().default(''),
    /** The database holding every table; interpolated into DDL, hence an identifier. */
    database: z.string().regex(CLICKHOUSE_IDENTIFIER, { error: 'letters, digits and _ only, not starting with a digit (at most 64)' }).default('etcd_analyzer'),
    /** Embedded storage's directory (used when `url` is not set). */
    dataDir: z.string().min(1).optional(),
    /** Retention of raw samples, member status, log events and the 1-minute rollup. */
    ttlDays: ttlDays('ttlDays', 30),
    /** Retention of the 1-hour rollup, findings and reports. */
    longTtlDays: ttlDays('longTtlDays', 400),
    /** Every query runs with ClickHouse's `readonly = 1`: no writes, no DDL, no setting changes. */
    readonly: z.boolean().default(false),
    /** Per-request timeout on the server path. */
    requestTimeoutMs: z.number().int().positive().default(30_000),
    /** Only for `readonly`: per-query limits fixed when the connection is made (they cannot change afterwards). */
    maxExecutionSeconds: z.number().int().positive().optional(),
    maxResultRows: z.number().int().positive().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.url === undefined && c.dataDir === undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'set url (a ClickHouse server) or dataDir (embedded storage)' });
    }
  });
export type StoreConfigInput = z.input<typeof StoreConfigSchema>;
export type StoreConfig = z.output<typeof StoreConfigSchema>;
