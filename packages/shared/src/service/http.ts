import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.ts';

export interface ServiceHttp {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A service's operational endpoints: `/healthz` (the process answers), `/readyz` (it can do its
 * work: connected, migrated; 503 with the reason otherwise) and `/metrics` (Prometheus text).
 */
export async function startServiceHttp(opts: { readonly port: number; readonly host?: string; readonly registry: Registry; readonly ready: () => string | null; readonly logger: Logger }): Promise<ServiceHttp> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path === '/readyz') {
      const notReady = opts.ready();
      res.writeHead(notReady ? 503 : 200, { 'content-type': 'text/plain' }).end(notReady ? `not ready: ${notReady}\n` : 'ready\n');
      return;
    }
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': opts.registry.contentType }).end(text),
        (e: unknown) => {
          opts.logger.error({ err: e }, 'metrics rendering failed');
          res.writeHead(500).end();
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  opts.logger.info({ port }, 'operational endpoints listening');
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
