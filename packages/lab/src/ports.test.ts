import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { assertPortsFree, isPortFree, PORT_BLOCK, portLayout, portUses } from './ports.ts';

describe('portLayout', () => {
  it('derives every port from the base port, inside one block of 100', () => {
    const l = portLayout(24000, 3);
    expect(l.members).toEqual([
      { client: 24000, peer: 24001, metrics: 24002, proxy: 24003 },
      { client: 24010, peer: 24011, metrics: 24012, proxy: 24013 },
      { client: 24020, peer: 24021, metrics: 24022, proxy: 24023 },
    ]);
    expect([l.prometheus, l.nodeExporter]).toEqual([24090, 24091]);
  });

  it('never hands out a port twice, even with the most members', () => {
    const ports = portUses(portLayout(30000, 9)).map((u) => u.port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(Math.max(...ports)).toBeLessThan(30000 + PORT_BLOCK);
  });

  it('names the purpose of every port', () => {
    expect(portUses(portLayout(24000, 1))).toContainEqual({ port: 24003, purpose: 'etcd-0 peer proxy' });
    expect(portUses(portLayout(24000, 1))).toContainEqual({ port: 24091, purpose: 'node_exporter' });
  });

  it.each([
    [24000, 0, /members must be an integer from 1 to 9, got 0/],
    [24000, 10, /got 10/],
    [80, 3, /base port .* got 80/],
    [65500, 3, /got 65500/],
    [24000.5, 3, /got 24000.5/],
  ])('rejects base %s with %s members', (base, members, message) => {
    expect(() => portLayout(base, members)).toThrow(message);
  });
});

describe('assertPortsFree', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('names the busy port and what the lab wanted it for', async () => {
    server = createServer();
    const port = await new Promise<number>((r) => server!.listen(0, '127.0.0.1', () => r((server!.address() as { port: number }).port)));
    expect(await isPortFree(port)).toBe(false);
    await expect(assertPortsFree([{ port, purpose: 'etcd-1 metrics' }])).rejects.toThrow(`port already in use on 127.0.0.1: ${port} (etcd-1 metrics)`);
  });

  it('passes when every port is free', async () => {
    server = undefined;
    const probe = createServer();
    const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as { port: number }).port)));
    await new Promise<void>((r) => probe.close(() => r()));
    await expect(assertPortsFree([{ port, purpose: 'prometheus' }])).resolves.toBeUndefined();
  });
});
