import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { LabError } from '@etcd-analyzer/shared/errors';

const run = promisify(execFile);

/** Finds the first of `names` on PATH (Debian names node_exporter prometheus-node-exporter). */
export function findOnPath(names: readonly string[], what: string): string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of names) {
    for (const d of dirs) {
      const p = join(d, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // not here
      }
    }
  }
  throw new LabError(`${what} not found on PATH (looked for ${names.join(', ')}); install it (Debian: ${debianPackage(what)})`, { what });
}

function debianPackage(what: string): string {
  return ({ etcd: 'etcd-server', prometheus: 'prometheus', node_exporter: 'prometheus-node-exporter', strace: 'strace', taskset: 'util-linux' } as Record<string, string>)[what] ?? what;
}

export interface EtcdVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly text: string;
}

/** Parses `etcd --version` ("etcd Version: 3.4.23"). */
export function parseEtcdVersion(output: string): EtcdVersion | undefined {
  const m = /etcd Version:\s*(\d+)\.(\d+)\.(\d+)/i.exec(output);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: `${m[1]}.${m[2]}.${m[3]}` };
}

/** The lab uses only flags that exist from 3.4 to 3.6; anything else is refused up front. */
export function assertSupportedEtcd(v: EtcdVersion): void {
  if (v.major !== 3 || v.minor < 4 || v.minor > 6) throw new LabError(`etcd ${v.text} is not supported by the lab (needs 3.4 to 3.6)`, { version: v.text });
}

export async function detectEtcdVersion(etcdBin: string): Promise<EtcdVersion> {
  let out: string;
  try {
    out = (await run(etcdBin, ['--version'], { timeout: 10_000 })).stdout;
  } catch (e) {
    throw new LabError(`could not run ${etcdBin} --version`, { etcdBin }, { cause: e });
  }
  const v = parseEtcdVersion(out);
  if (!v) throw new LabError(`could not read the etcd version from "${out.trim().split('\n')[0] ?? ''}"`, { etcdBin });
  assertSupportedEtcd(v);
  return v;
}

/**
 * Collectors that need privileges, hardware or a system bus (systemd) the lab may not have; each is disabled only if
 * this node_exporter build knows it (an unknown --no-collector flag would stop it starting).
 */
export const NODE_EXPORTER_SKIPPED = ['rapl', 'hwmon', 'thermal_zone', 'powersupplyclass', 'infiniband', 'fibrechannel', 'tapestats', 'nfs', 'nfsd', 'zfs', 'btrfs', 'edac', 'bcache', 'mdadm', 'ipvs', 'nvme', 'watchdog', 'systemd'] as const;

export function nodeExporterDisableFlags(helpText: string): string[] {
  return NODE_EXPORTER_SKIPPED.filter((c) => new RegExp(`--(\\[no-\\])?collector\\.${c}\\s`).test(helpText)).map((c) => `--no-collector.${c}`);
}

export async function nodeExporterHelp(bin: string): Promise<string> {
  try {
    const r = await run(bin, ['--help'], { timeout: 10_000 });
    return `${r.stdout}\n${r.stderr}`;
  } catch (e) {
    // kingpin prints help and exits 0; some builds exit non-zero but still print it.
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ''}\n${err.stderr ?? ''}`;
  }
}
