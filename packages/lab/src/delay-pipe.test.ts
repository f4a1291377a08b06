import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pipeWithDelay } from './delay-pipe.ts';

/** A sink server that collects everything it receives; resolves when the sender ends. */
async function sink(): Promise<{ server: Server; port: number; received: Promise<Buffer> }> {
  let resolve!: (b: Buffer) => void;
  const received = new Promise<Buffer>((r) => (resolve = r));
  const server = createServer((s) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, received };
}

describe('pipeWithDelay', () => {
  const servers: Server[] = [];
  afterEach(() => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));

  it('keeps the byte stream intact while the delay drops from 30 ms to 0 mid-stream', async () => {
    const out = await sink();
    let delay = 30;
    const delaysSeen: number[] = [];
    const proxy = createServer((client) => {
      const upstream = connect(out.port, '127.0.0.1');
      pipeWithDelay(client, upstream, () => {
        delaysSeen.push(delay);
        return delay;
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    servers.push(out.server, proxy);

    const client: Socket = connect((proxy.address() as { port: number }).port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
    const expected: Buffer[] = [];
    for (let i = 0; i < 200; i++) {
      // Later chunks would overtake earlier, still-held ones if order were not enforced.
      if (i === 100) delay = 0;
      const chunk = Buffer.from(`chunk-${i};`);
      expected.push(chunk);
      client.write(chunk);
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    client.end();
    expect((await out.received).toString()).toBe(Buffer.concat(expected).toString());
    expect(delaysSeen).toContain(30);
    expect(delaysSeen).toContain(0);
  });
});
