import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { ConfigError } from '../errors/index.ts';
import { BusConnectionConfigSchema, type BusConnectionConfig, type BusConnectionConfigInput } from '../schema/index.ts';
import { BusError, isTransientNatsError } from './errors.ts';
import { redactUrl, silentLogger, type BusLogger } from './logger.ts';
import { backoffDelay, sleep } from './retry.ts';

/** A live connection: core NATS, JetStream, and its manager (streams, consumers). */
export interface Bus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly config: BusConnectionConfig;
}

export interface ConnectBusOptions {
  logger?: BusLogger;
  /** Stops the first-connection retries. */
  signal?: AbortSignal;
}

/**
 * Parses the connection config; a bad key is a ConfigError naming it (`nats.servers.0: …`).
 * Values are never echoed, so a mistyped password does not end up in a log.
 */
export function parseBusConfig(input: unknown, keyPrefix = 'nats'): BusConnectionConfig {
  const r = BusConnectionConfigSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${[keyPrefix, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw new ConfigError(`invalid NATS config: ${issues.join('; ')}`, { key: keyPrefix });
}

function authOptions(c: BusConnectionConfig): Partial<ConnectionOptions> {
  if (c.user !== undefined) return { user: c.user, pass: c.password };
  if (c.token !== undefined) return { token: c.token };
  if (c.credsFile !== undefined) {
    let creds: Uint8Array;
    try {
      creds = readFileSync(c.credsFile);
    } catch (e) {
      throw new ConfigError(`nats.credsFile: cannot read ${c.credsFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { key: 'nats.credsFile' });
    }
    return { authenticator: credsAuthenticator(creds) };
  }
  return {};
}

function authKind(c: BusConnectionConfig): string {
  return c.user !== undefined ? 'user/password' : c.token !== undefined ? 'token' : c.credsFile !== undefined ? 'creds' : 'none';
}

/**
 * Connects to NATS and JetStream. The first connection is retried with backoff (until
 * `firstConnectDeadlineMs`, or forever); once connected the client reconnects forever, waiting
 * `initialDelayMs` doubling to `maxDelayMs` plus jitter, and buffers publishes meanwhile.
 * Authentication failures are not retried. Credentials are never logged.
 */
export async function connectBus(config: BusConnectionConfigInput, opts: ConnectBusOptions = {}): Promise<Bus> {
  const c = parseBusConfig(config);
  const logger = opts.logger ?? silentLogger;
  const servers = c.servers.map(redactUrl);
  let reconnectAttempt = 0;
  const options: ConnectionOptions = {
    servers: c.servers,
    name: c.name,
    timeout: c.connectTimeoutMs,
    maxReconnectAttempts: -1,
    reconnectTimeWait: c.reconnect.initialDelayMs,
    reconnectJitter: c.reconnect.jitterMs,
    reconnectDelayHandler: () => backoffDelay(c.reconnect, reconnectAttempt++),
    ...authOptions(c),
  };

  const started = Date.now();
  let nc: NatsConnection | undefined;
  for (let attempt = 0; nc === undefined; attempt++) {
    try {
      nc = await connect(options);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!isTransientNatsError(e)) throw new BusError(`cannot connect to NATS at ${servers.join(',')} (auth: ${authKind(c)}): ${message}`, { servers: servers.join(',') }, { cause: e }, 'BUS_CONNECT');
      if (c.firstConnectDeadlineMs > 0 && Date.now() - started > c.firstConnectDeadlineMs) {
        throw new BusError(`NATS at ${servers.join(',')} not reachable after ${c.firstConnectDeadlineMs} ms: ${message}`, { servers: servers.join(',') }, { cause: e }, 'BUS_CONNECT');
      }
      const wait = backoffDelay(c.reconnect, attempt);
      logger.warn({ servers, attempt: attempt + 1, retryInMs: wait, err: message }, 'nats not reachable, retrying');
      if (!(await sleep(wait, opts.signal))) throw new BusError('connecting to NATS was aborted', { servers: servers.join(',') }, undefined, 'BUS_CONNECT');
    }
  }
  const conn = nc;
  logger.info({ servers, name: c.name, auth: authKind(c), serverVersion: conn.info?.version }, 'nats connected');
  void (async () => {
    for await (const s of conn.status()) {
      if (s.type === 'reconnect') {
        reconnectAttempt = 0;
        logger.info({ server: redactUrl(s.server) }, 'nats reconnected');
      } else if (s.type === 'disconnect') logger.warn({ server: redactUrl(s.server) }, 'nats disconnected');
      else if (s.type === 'error') logger.warn({ err: s.error.message }, 'nats error');
      else if (s.type === 'staleConnection' || s.type === 'ldm' || s.type === 'slowConsumer') logger.warn({ status: s.type }, 'nats connection status');
    }
  })().catch(() => {});

  try {
    const jsm = await jetstreamManager(conn, { timeout: c.requestTimeoutMs });
    const js = jetstream(conn, { timeout: c.requestTimeoutMs });
    return { nc: conn, js, jsm, config: c };
  } catch (e) {
    await conn.close().catch(() => {});
    throw new BusError(`JetStream is not available at ${servers.join(',')} (start nats-server with -js): ${e instanceof Error ? e.message : String(e)}`, { servers: servers.join(',') }, { cause: e }, 'BUS_CONNECT');
  }
}

/** Drains the connection (in-flight messages delivered, subscriptions ended), closing it after `timeoutMs` at the latest. */
export async function closeBus(bus: Pick<Bus, 'nc'>, opts: { timeoutMs?: number } = {}): Promise<void> {
  const { nc } = bus;
  if (nc.isClosed()) return;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const drained = nc.drain().then(
    () => true,
    () => false,
  );
  const timer = new AbortController();
  const ok = await Promise.race([drained, sleep(timeoutMs, timer.signal).then(() => false)]);
  timer.abort();
  if (!ok && !nc.isClosed()) await nc.close().catch(() => {});
}
