import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/** The peer proxy's configuration file: it re-reads it on SIGHUP and acknowledges with `<file>.ack`. */
export const PeerProxyConfigSchema = z.object({
  generation: z.number().int().nonnegative(),
  routes: z.array(
    z.object({
      member: z.string(),
      listenPort: z.number().int().positive(),
      targetPort: z.number().int().positive(),
      delayMs: z.number().nonnegative(),
    }),
  ),
});
export type PeerProxyConfig = z.infer<typeof PeerProxyConfigSchema>;

export const PeerProxyAckSchema = z.object({ generation: z.number().int(), pid: z.number().int(), delays: z.record(z.string(), z.number()) });
export type PeerProxyAck = z.infer<typeof PeerProxyAckSchema>;

export const ackPath = (configPath: string): string => `${configPath}.ack`;

export function readPeerProxyConfig(path: string): PeerProxyConfig {
  return PeerProxyConfigSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}

export function readPeerProxyAck(configPath: string): PeerProxyAck | undefined {
  try {
    return PeerProxyAckSchema.parse(JSON.parse(readFileSync(ackPath(configPath), 'utf8')));
  } catch {
    return undefined;
  }
}

/** A copy of `config` with one member's delay set and the generation bumped. */
export function withDelay(config: PeerProxyConfig, member: string | null, delayMs: number): PeerProxyConfig {
  return {
    generation: config.generation + 1,
    routes: config.routes.map((r) => (member === null || r.member === member ? { ...r, delayMs } : r)),
  };
}
