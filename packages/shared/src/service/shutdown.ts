import type { Logger } from './logger.ts';

/**
 * Stops the service on SIGTERM or SIGINT: `stop` drains in reverse order of start; past the
 * deadline the process exits anyway (a stuck drain must not keep a pod terminating forever).
 */
export function stopOnSignals(stop: () => Promise<void>, opts: { readonly logger: Logger; readonly deadlineMs?: number }): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    opts.logger.info({ signal }, 'stopping');
    const timer = setTimeout(() => {
      opts.logger.error({ deadlineMs: opts.deadlineMs ?? 10_000 }, 'stop deadline passed; exiting');
      process.exit(1);
    }, opts.deadlineMs ?? 10_000);
    timer.unref();
    stop().then(
      () => {
        opts.logger.info({}, 'stopped');
        process.exit(0);
      },
      (e: unknown) => {
        opts.logger.error({ err: e }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
