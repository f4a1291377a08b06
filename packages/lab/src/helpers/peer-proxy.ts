/**
 * Detached helper: one TCP proxy per member in front of its peer port (the member's advertised
 * peer URL points here). Both directions of every connection to the member's proxy are held for
 * that member's delay. SIGHUP re-reads the configuration file; `<file>.ack` confirms it.
 * Usage: node peer-proxy.ts CONFIG_FILE
 */
import { connect, createServer, type Socket } from 'node:net';
import { pipeWithDelay } from '../delay-pipe.ts';
import { ackPath, readPeerProxyConfig, writeJsonAtomic, type PeerProxyConfig } from '../peer-proxy-config.ts';

const configPath = process.argv[2];
if (!configPath) {
  process.stderr.write('usage: peer-proxy.ts CONFIG_FILE\n');
  process.exit(2);
}

const delays = new Map<string, number>();
let config: PeerProxyConfig = readPeerProxyConfig(configPath);

function apply(c: PeerProxyConfig): void {
  for (const r of c.routes) delays.set(r.member, r.delayMs);
  writeJsonAtomic(ackPath(configPath as string), { generation: c.generation, pid: process.pid, delays: Object.fromEntries(delays) });
  process.stdout.write(`${new Date().toISOString()} generation ${c.generation}: ${c.routes.map((r) => `${r.member}=${r.delayMs}ms`).join(' ')}\n`);
}

for (const route of config.routes) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(route.targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const delay = (): number => delays.get(route.member) ?? 0;
    pipeWithDelay(client, upstream, delay);
    pipeWithDelay(upstream, client, delay);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  server.on('error', (e) => {
    process.stderr.write(`${route.member}: cannot listen on ${route.listenPort}: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(route.listenPort, '127.0.0.1');
}
apply(config);

process.on('SIGHUP', () => {
  try {
    config = readPeerProxyConfig(configPath);
    apply(config);
  } catch (e) {
    // Keep the running delays: a bad file must not cut the cluster's peer links.
    process.stderr.write(`${new Date().toISOString()} ignoring unreadable ${configPath}: ${String(e)}\n`);
  }
});
process.on('SIGTERM', () => process.exit(0));
