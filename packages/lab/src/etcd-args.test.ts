import { describe, expect, it } from 'vitest';
import { planMembers } from './etcd-args.ts';
import { portLayout } from './ports.ts';

describe('planMembers', () => {
  const plans = planMembers({ dir: '/lab', layout: portLayout(24000, 3), clusterToken: 'lab-x', quotaBytes: 67108864 });

  it('names members etcd-0..etcd-N-1 and advertises peers through their proxies', () => {
    expect(plans.map((p) => p.name)).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
    expect(plans[1]).toMatchObject({ clientUrl: 'http://127.0.0.1:24010', peerUrl: 'http://127.0.0.1:24011', metricsUrl: 'http://127.0.0.1:24012', advertisedPeerUrl: 'http://127.0.0.1:24013' });
    expect(plans[1]?.flags).toContain('--listen-peer-urls=http://127.0.0.1:24011');
    expect(plans[1]?.flags).toContain('--initial-advertise-peer-urls=http://127.0.0.1:24013');
    expect(plans[0]?.flags).toContain('--initial-cluster=etcd-0=http://127.0.0.1:24003,etcd-1=http://127.0.0.1:24013,etcd-2=http://127.0.0.1:24023');
  });

  it('uses a separate metrics listener, extensive metrics and a zap JSON log file per member', () => {
    expect(plans[2]?.flags).toEqual(expect.arrayContaining(['--listen-metrics-urls=http://127.0.0.1:24022', '--metrics=extensive', '--logger=zap', '--log-outputs=/lab/etcd-2.log']));
    expect(plans[2]?.logFile).toBe('/lab/etcd-2.log');
    expect(plans[2]?.dataDir).toBe('/lab/etcd-2/data');
  });

  it('sets test-friendly timeouts and the quota, and never auto-compaction', () => {
    const flags = plans[0]?.flags ?? [];
    expect(flags).toEqual(expect.arrayContaining(['--heartbeat-interval=100', '--election-timeout=1000', '--quota-backend-bytes=67108864']));
    expect(flags.some((f) => f.startsWith('--auto-compaction'))).toBe(false);
    expect(planMembers({ dir: '/lab', layout: portLayout(24000, 1), clusterToken: 't' })[0]?.flags.some((f) => f.startsWith('--quota'))).toBe(false);
  });
});
