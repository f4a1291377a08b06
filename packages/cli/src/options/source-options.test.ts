import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('toCollectRequest: flags that fail fast and say why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'source-options-'));
  const empty = join(dir, 'empty-token');
  writeFileSync(empty, '  \n');

  it('passes an explicit --timeout to --direct and leaves the interval-based default alone otherwise', () => {
    expect(toCollectRequest({ ...base, direct: 'http://127.0.0.1:2381', timeout: '2s' }).direct?.timeoutMs).toBe(2000);
    expect(toCollectRequest({ ...base, direct: 'http://127.0.0.1:2381', timeout: undefined }).direct?.timeoutMs).toBeUndefined();
    expect(toCollectRequest({ ...base, prometheus: 'http://p:9090', timeout: undefined }).prometheus?.timeoutMs).toBe(30_000);
  });

  it('refuses an empty bearer token file, naming the flag', () => {
    expect(() => toCollectRequest({ ...base, prometheus: 'http://p:9090', bearerTokenFile: empty })).toThrow(/--bearer-token-file: ".*empty-token" is empty/);
  });

  it('names the flag when a file flag points at a directory', () => {
    expect(() => toCollectRequest({ ...base, prometheus: 'http://p:9090', bearerTokenFile: dir })).toThrow(/--bearer-token-file: ".*" is a directory/);
    expect(() => toCollectRequest({ ...base, prometheus: 'http://p:9090', caFile: dir })).toThrow(/--ca-file: ".*" is a directory/);
    expect(() => toCollectRequest({ ...base, logs: [dir] })).toThrow(/--logs: ".*" is a directory/);
    expect(() => toCollectRequest({ ...base, etcd: 'http://e:2379', certFile: dir })).toThrow(/--cert-file: ".*" is a directory/);
  });

  it('never echoes the password of a URL it rejects', () => {
    for (const value of ['http://admin:hunter2@prom:notaport', 'ftp://admin:hunter2@prom']) {
      let message = '';
      try {
        toCollectRequest({ ...base, prometheus: value });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^--prometheus: /);
      expect(message).not.toContain('hunter2');
    }
  });
});
