import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderPrometheusConfig } from './prometheus-config.ts';

interface StaticConfig { targets: string[]; labels: Record<string, string> }
interface Config { global: Record<string, string>; scrape_configs: Array<{ job_name: string; static_configs: StaticConfig[] }> }

describe('renderPrometheusConfig', () => {
  const config = parse(renderPrometheusConfig([{ address: '127.0.0.1:24002', member: 'etcd-0' }, { address: '127.0.0.1:24012', member: 'etcd-1' }], '127.0.0.1:24091')) as Config;

  it('scrapes every 5 s', () => {
    expect(config.global.scrape_interval).toBe('5s');
  });

  it('labels each member target the way OpenShift does', () => {
    const etcd = config.scrape_configs.find((j) => j.job_name === 'etcd');
    expect(etcd?.static_configs).toEqual([
      { targets: ['127.0.0.1:24002'], labels: expect.objectContaining({ namespace: 'openshift-etcd', pod: 'etcd-0', node: 'lab-node' }) },
      { targets: ['127.0.0.1:24012'], labels: expect.objectContaining({ namespace: 'openshift-etcd', pod: 'etcd-1', node: 'lab-node' }) },
    ]);
  });

  it('names the node_exporter instance after the node, not its address', () => {
    const ne = config.scrape_configs.find((j) => j.job_name === 'node-exporter');
    expect(ne?.static_configs).toEqual([{ targets: ['127.0.0.1:24091'], labels: expect.objectContaining({ instance: 'lab-node' }) }]);
  });
});
