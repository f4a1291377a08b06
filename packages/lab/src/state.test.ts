import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allProcesses, LabStateSchema, readLabState, writeLabState, type LabState } from './state.ts';

function sampleState(dir: string): LabState {
  return {
    schemaVersion: 1,
    dir,
    createdAt: '2026-01-01T00:00:00.000Z',
    etcdVersion: '3.4.23',
    basePort: 24000,
    heartbeatMs: 100,
    electionTimeoutMs: 1000,
    quotaBytes: null,
    loadOpsPerSecond: 50,
    members: [
      { name: 'etcd-0', clientUrl: 'http://127.0.0.1:24000', peerUrl: 'http://127.0.0.1:24001', advertisedPeerUrl: 'http://127.0.0.1:24003', metricsUrl: 'http://127.0.0.1:24002', pid: 100, startTime: 5, dataDir: `${dir}/etcd-0/data`, logFile: `${dir}/etcd-0.log`, outFile: `${dir}/etcd-0.out`, args: ['/usr/bin/etcd', '--name=etcd-0'] },
    ],
    prometheusUrl: 'http://127.0.0.1:24090',
    nodeExporterUrl: 'http://127.0.0.1:24091',
    peerProxyConfig: `${dir}/peer-proxy.json`,
    helpers: [{ role: 'prometheus', pid: 101, startTime: 6, command: '/usr/bin/prometheus', logFile: `${dir}/prometheus.log` }],
    faults: [{ kind: 'slow-disk', member: 'etcd-0', pid: 102, detail: 'x', since: '2026-01-01T00:00:00.000Z', processes: [{ pid: 102, startTime: 7, command: 'strace' }], restore: {} }],
  };
}

describe('lab state', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lab-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through lab.json', () => {
    writeLabState(sampleState(dir));
    expect(readLabState(dir)).toEqual(sampleState(dir));
  });

  it('says where to start a lab when there is none', () => {
    expect(() => readLabState(dir)).toThrow(`no lab in ${dir}: lab.json not found`);
  });

  it('names the file and the failing field when lab.json is broken', () => {
    writeFileSync(join(dir, 'lab.json'), '{not json');
    expect(() => readLabState(dir)).toThrow(`${dir}/lab.json is not valid JSON`);
    writeFileSync(join(dir, 'lab.json'), JSON.stringify({ ...sampleState(dir), prometheusUrl: 'nope' }));
    expect(() => readLabState(dir)).toThrow(/invalid lab state .*lab.json: prometheusUrl/);
  });

  it('refuses an unknown fault kind in the state', () => {
    const s = sampleState(dir);
    expect(LabStateSchema.safeParse({ ...s, faults: [{ ...s.faults[0], kind: 'meteor' }] }).success).toBe(false);
  });

  it('lists fault processes before helpers and members, so they are stopped first', () => {
    expect(allProcesses(sampleState(dir)).map((p) => [p.pid, p.what])).toEqual([
      [102, 'slow-disk fault process'],
      [101, 'prometheus'],
      [100, 'etcd-0'],
    ]);
  });
});
