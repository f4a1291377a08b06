import { describe, expect, it } from 'vitest';
import { ConfigError } from '@etcd-analyzer/shared/errors';
import { toCollectRequest, type SourceFlags } from './source-options.ts';

const base: SourceFlags = {
  duration: '15m',
  interval: '5s',
  cluster: 'c1',
  selector: 'namespace="openshift-etcd"',
  nodeSelector: 'job="node"',
  nodeLabel: 'instance',
  timeout: '30s',
};

describe('toCollectRequest', () => {
  it('accepts bare host:port etcd endpoints as etcdctl does: http without TLS files, https with them', () => {
    expect(toCollectRequest({ ...base, etcd: '10.0.0.1:2379, [::1]:2379,' }).etcd?.endpoints).toEqual(['http://10.0.0.1:2379', 'http://[::1]:2379']);
    const withCa = toCollectRequest({ ...base, etcd: '10.0.0.1:2379,https://10.0.0.2:2379', caFile: '/dev/null' });
    expect(withCa.etcd?.endpoints).toEqual(['https://10.0.0.1:2379', 'https://10.0.0.2:2379']);
  });

  it('names the flag and shows an example of what it wants', () => {
    expect(() => toCollectRequest({ ...base, etcd: 'etcd-0' })).toThrow(/--etcd: "etcd-0" is not a URL \(expected e\.g\. https:\/\/10\.0\.0\.1:2379\)/);
    expect(() => toCollectRequest({ ...base, prometheus: 'ftp://x' })).toThrow(/--prometheus: "ftp:\/\/x" must be http/);
    expect(() => toCollectRequest({ ...base, prometheus: 'http://p:9090', duration: 'soon' })).toThrow(/--duration/);
  });

  it('refuses two metric sources, and no source at all', () => {
    expect(() => toCollectRequest({ ...base, prometheus: 'http://p:9090', direct: 'http://e:2381' })).toThrow(ConfigError);
    expect(() => toCollectRequest(base)).toThrow(/no source given/);
  });

  it('names direct targets by their name= prefix or their host, and adds /metrics to a bare URL', () => {
    const r = toCollectRequest({ ...base, direct: 'etcd-0=http://127.0.0.1:2381,http://127.0.0.1:2391/', nodeExporter: 'http://127.0.0.1:9100' });
    expect(r.direct?.targets).toEqual([
      { entity: 'etcd-0', url: 'http://127.0.0.1:2381/metrics', scope: 'member' },
      { entity: '127.0.0.1:2391', url: 'http://127.0.0.1:2391/metrics', scope: 'member' },
      { entity: '127.0.0.1:9100', url: 'http://127.0.0.1:9100/metrics', scope: 'node' },
    ]);
  });
});
