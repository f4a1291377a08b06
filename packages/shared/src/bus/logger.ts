/**
 * The logger the bus writes to: the subset of pino's API it uses, so a service passes
 * `logger.child({ component: 'bus' })` and tests pass nothing. Messages are constant strings;
 * details travel as fields (`subject`, `stream`, `durable`, `seq`, `batchId`).
 */
export interface BusLogger {
  debug(fields: object, msg: string): void;
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

const noop = (): void => {};

/** Discards everything. */
export const silentLogger: BusLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** Removes `user:password@` from a server URL so it can be logged. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1***@');
}
