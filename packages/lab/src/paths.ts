import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Where each file of a lab lives inside DIR (member files come from etcd-args.ts). */
export function labPaths(dir: string) {
  return {
    prometheusConfig: join(dir, 'prometheus.yml'),
    prometheusData: join(dir, 'prometheus-data'),
    prometheusLog: join(dir, 'prometheus.log'),
    nodeExporterLog: join(dir, 'node-exporter.log'),
    nodeExporterTextfiles: join(dir, 'node-exporter-textfiles'),
    peerProxyConfig: join(dir, 'peer-proxy.json'),
    peerProxyLog: join(dir, 'peer-proxy.log'),
    loadLog: join(dir, 'load.log'),
    faults: join(dir, 'faults'),
  };
}

/** A detached helper script; spawned with this very Node, which runs .ts directly. */
export function helperScript(name: 'peer-proxy' | 'load-generator' | 'leader-churn'): string {
  return fileURLToPath(new URL(`./helpers/${name}.ts`, import.meta.url));
}

export const nodeArgs = (script: string, args: readonly string[]): string[] => ['--disable-warning=ExperimentalWarning', script, ...args];
