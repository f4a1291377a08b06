import { describe, expect, it } from 'vitest';
import { assertSupportedEtcd, nodeExporterDisableFlags, parseEtcdVersion } from './binaries.ts';

describe('etcd version', () => {
  it('reads `etcd --version` output', () => {
    expect(parseEtcdVersion('etcd Version: 3.4.23\nGit SHA: Not provided\nGo Version: go1.19.8\n')).toMatchObject({ major: 3, minor: 4, patch: 23, text: '3.4.23' });
    expect(parseEtcdVersion('etcd Version: 3.6.0-rc.1')).toMatchObject({ minor: 6, text: '3.6.0' });
    expect(parseEtcdVersion('something else')).toBeUndefined();
  });

  it('accepts 3.4 to 3.6 only', () => {
    for (const v of ['3.4.0', '3.5.17', '3.6.1']) expect(() => assertSupportedEtcd(parseEtcdVersion(`etcd Version: ${v}`)!)).not.toThrow();
    expect(() => assertSupportedEtcd(parseEtcdVersion('etcd Version: 3.3.27')!)).toThrow(/etcd 3.3.27 is not supported by the lab \(needs 3.4 to 3.6\)/);
  });
});

describe('nodeExporterDisableFlags', () => {
  it('disables only collectors this build knows, in either help style', () => {
    const help = [
      '      --collector.rapl           Enable the rapl collector (default: enabled).',
      '      --collector.rapl.enable-zone-label  ',
      '      --[no-]collector.hwmon     Enable the hwmon collector (default: enabled).',
      '      --collector.cpu            Enable the cpu collector (default: enabled).',
    ].join('\n');
    expect(nodeExporterDisableFlags(help)).toEqual(['--no-collector.rapl', '--no-collector.hwmon']);
  });
});
