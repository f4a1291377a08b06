import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Keys whose values never reach a log line, wherever they appear in a logged object. */
export const REDACT_PATHS = ['password', 'token', 'apiKey', 'authorization', 'secret', '*.password', '*.token', '*.apiKey', '*.authorization', '*.secret', 'req.headers.authorization', 'req.headers["x-api-key"]'];

/** The root logger of a service: JSON lines on stdout, secrets redacted, one `service` field. */
export function createServiceLogger(opts: { readonly service: string; readonly level?: string; readonly destination?: NodeJS.WritableStream }): Logger {
  return pino({ name: opts.service, level: opts.level ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: opts.service } }, opts.destination as never);
}
