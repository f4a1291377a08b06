import { describe, expect, it } from 'vitest';
import { withDelay, type PeerProxyConfig } from './peer-proxy-config.ts';

const config: PeerProxyConfig = {
  generation: 4,
  routes: [
    { member: 'etcd-0', listenPort: 24003, targetPort: 24001, delayMs: 0 },
    { member: 'etcd-1', listenPort: 24013, targetPort: 24011, delayMs: 30 },
  ],
};

describe('withDelay', () => {
  it('changes one member and bumps the generation the proxy acknowledges', () => {
    const next = withDelay(config, 'etcd-0', 100);
    expect(next.generation).toBe(5);
    expect(next.routes.map((r) => r.delayMs)).toEqual([100, 30]);
    expect(config.routes[0]?.delayMs).toBe(0);
  });

  it('changes every member with null', () => {
    expect(withDelay(config, null, 0).routes.map((r) => r.delayMs)).toEqual([0, 0]);
  });
});
