import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real nats-server with JetStream for integration tests and drills. It listens on loopback only,
 * on a port below the ephemeral range (a port there cannot be taken by an outgoing connection
 * between our check and the server's bind, and `restart()` gets the same port back).
 */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** JetStream's store directory; kept across `restart()`. */
  readonly storeDir: string;
  /** The running process's pid, or undefined while it is down. */
  readonly pid: number | undefined;
  /** Stops the process (SIGTERM, or SIGKILL to simulate a crash) and keeps the store dir. */
  down(opts?: { signal?: 'SIGTERM' | 'SIGKILL' }): Promise<void>;
  /** Starts it again on the same port with the same store dir; resolves when it is ready. */
  up(): Promise<void>;
  /** `down()`, wait `downMs`, `up()`: the restart drill. */
  restart(opts?: { downMs?: number; signal?: 'SIGTERM' | 'SIGKILL' }): Promise<void>;
  /** Stops the process and removes the store dir when this launcher created it. */
  stop(): Promise<void>;
}

export interface StartNatsOptions {
  /** A fixed port; by default a free one below the ephemeral range. */
  port?: number;
  /** JetStream store dir; by default a fresh temp dir removed by `stop()`. */
  storeDir?: string;
  /** Extra nats-server arguments (e.g. `['--user', 'u', '--pass', 'p']`). */
  args?: string[];
  /** The binary; default `$NATS_SERVER_BIN` or `nats-server` on PATH. */
  bin?: string;
  /** How long to wait for "Server is ready". Default 15 s. */
  readyTimeoutMs?: number;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function ephemeralStart(): number {
  try {
    const n = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(n) && n > 11_000 ? n : 32768;
  } catch {
    return 32768;
  }
}

/** A free loopback port in [10000, ephemeral start). */
export async function freeNatsPort(): Promise<number> {
  const top = ephemeralStart();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * (top - 10_000));
    if (await portFree(port)) return port;
  }
  throw new Error('no free loopback port found below the ephemeral range');
}

function storeRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** Launches the real nats-server with JetStream (`-js -sd DIR`) and waits until it is ready. */
export async function startNats(opts: StartNatsOptions = {}): Promise<NatsServer> {
  let port = opts.port ?? (await freeNatsPort());
  const ownsDir = opts.storeDir === undefined;
  const storeDir = opts.storeDir ?? mkdtempSync(join(storeRoot(), 'nats-js-'));
  const bin = opts.bin ?? process.env.NATS_SERVER_BIN ?? 'nats-server';
  const readyTimeoutMs = opts.readyTimeoutMs ?? 15_000;
  let proc: ChildProcess | undefined;

  const launch = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, ...(opts.args ?? [])];
      const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      proc = child;
      // If the test process dies first, do not leave this server behind (this child's pid only).
      const reap = (): void => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      };
      process.once('exit', reap);
      child.once('exit', () => process.removeListener('exit', reap));
      let log = '';
      const timer = setTimeout(() => fail(new Error(`nats-server on port ${port} not ready after ${readyTimeoutMs} ms:\n${log.slice(-2000)}`)), readyTimeoutMs);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
        reject(e);
      };
      child.once('error', (e) => fail(new Error(`cannot start ${bin}: ${e.message}`)));
      child.once('exit', (code, sig) => {
        if (proc === child) proc = undefined;
        fail(new Error(`nats-server exited (${code ?? sig}) before it was ready:\n${log.slice(-2000)}`));
      });
      child.stderr!.setEncoding('utf8');
      let ready = false;
      child.stderr!.on('data', (chunk: string) => {
        if (ready) return;
        log += chunk;
        if (log.includes('Server is ready')) {
          ready = true;
          clearTimeout(timer);
          child.removeAllListeners('exit');
          child.once('exit', () => {
            if (proc === child) proc = undefined;
          });
          resolve();
        }
      });
    });

  const down = async ({ signal = 'SIGTERM' }: { signal?: 'SIGTERM' | 'SIGKILL' } = {}): Promise<void> => {
    const child = proc;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
    proc = undefined;
  };

  const up = async (): Promise<void> => {
    if (proc) return;
    // The port may linger for a moment after the old process exits.
    for (let i = 0; i < 50 && !(await portFree(port)); i++) await new Promise((r) => setTimeout(r, 100));
    await launch();
  };

  // A random free port can be taken between the check and the bind: pick another one then.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (e) {
      if (opts.port !== undefined || attempt >= 3 || !/address already in use/i.test((e as Error).message)) {
        if (ownsDir) rmSync(storeDir, { recursive: true, force: true });
        throw e;
      }
      port = await freeNatsPort();
    }
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get pid() {
      return proc?.pid;
    },
    down,
    up,
    async restart({ downMs = 0, signal = 'SIGTERM' } = {}) {
      await down({ signal });
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await up();
    },
    async stop() {
      await down();
      if (ownsDir) rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
