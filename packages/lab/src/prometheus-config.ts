import { stringify } from 'yaml';

export const SCRAPE_INTERVAL = '5s';
export const LAB_NODE = 'lab-node';
export const ETCD_NAMESPACE = 'openshift-etcd';

export interface ScrapeTarget {
  /** host:port */
  readonly address: string;
  readonly member: string;
}

/**
 * Prometheus configuration with OpenShift's target labels, so the analyzer's OpenShift
 * selectors (namespace="openshift-etcd", member label "pod") work unchanged on the lab.
 */
export function renderPrometheusConfig(members: readonly ScrapeTarget[], nodeExporterAddress: string): string {
  const config = {
    global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL, scrape_timeout: '4s' },
    scrape_configs: [
      {
        job_name: 'etcd',
        static_configs: members.map((m) => ({
          targets: [m.address],
          labels: { namespace: ETCD_NAMESPACE, pod: m.member, node: LAB_NODE, service: 'etcd', endpoint: 'etcd-metrics' },
        })),
      },
      {
        job_name: 'node-exporter',
        static_configs: [{ targets: [nodeExporterAddress], labels: { instance: LAB_NODE, node: LAB_NODE, namespace: 'openshift-monitoring' } }],
      },
    ],
  };
  return `# Written by etcd-analyzer lab up; regenerated on every start.\n${stringify(config)}`;
}
