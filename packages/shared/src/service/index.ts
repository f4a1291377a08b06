/**
 * @module service
 * What every service's composition root needs: a pino root logger with secrets redacted, the
 * environment parsed once with a schema, `/healthz`, `/readyz` and `/metrics`, and a bounded stop
 * on SIGTERM/SIGINT.
 */
export { createServiceLogger, REDACT_PATHS, type Logger } from './logger.ts';
export { parseEnv } from './env.ts';
export { startServiceHttp, type ServiceHttp } from './http.ts';
export { stopOnSignals } from './shutdown.ts';
