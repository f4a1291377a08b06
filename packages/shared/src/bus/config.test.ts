import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.ts';
import { parseBusConfig } from './connect.ts';
import { backoffDelay } from './retry.ts';
import { parseConsumerConfig, parseStreamsConfig, streamConfig, STREAMS } from './streams.ts';

describe('bus config', () => {
  it('fills defaults and accepts a comma-separated server list', () => {
    const c = parseBusConfig({ servers: 'nats://a:4222, b:4223' });
    expect(c.servers).toEqual(['nats://a:4222', 'b:4223']);
    expect(c.reconnect).toEqual({ initialDelayMs: 250, maxDelayMs: 5_000, jitterMs: 250 });
    expect(c.name).toBe('etcd-analyzer');
  });

  it('names the bad key and never echoes a secret', () => {
    const bad = (input: unknown, key: RegExp): void => {
      let err: unknown;
      try {
        parseBusConfig(input);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(key);
      expect((err as Error).message).not.toContain('s3cret');
    };
    bad({}, /nats\.servers/);
    bad({ servers: ['nats://a:4222', 'no spaces allowed'] }, /nats\.servers\.1/);
    bad({ servers: 'a:4222', password: 's3cret' }, /nats\.user: password is set but user is not/);
    bad({ servers: 'a:4222', user: 'u', password: 's3cret', token: 's3cret' }, /nats\.token: choose one/);
    bad({ servers: 'a:4222', pasword: 's3cret' }, /nats: Unrecognized key: "pasword"|nats.*pasword/);
    bad({ servers: 'a:4222', reconnect: { initialDelayMs: -1 } }, /nats\.reconnect\.initialDelayMs/);
  });

  it('streams: defaults, bounds and the settings put on each stream', () => {
    const c = parseStreamsConfig();
    expect(c.findings.maxAgeMs).toBeGreaterThanOrEqual(3_600_000);
    expect(c.metrics.duplicateWindowMs).toBeGreaterThanOrEqual(120_000);
    expect(() => parseStreamsConfig({ metrics: { duplicateWindowMs: 60_000 } })).toThrow(/streams\.metrics\.duplicateWindowMs/);
    expect(() => parseStreamsConfig({ findings: { maxAgeMs: 60_000 } })).toThrow(/streams\.findings\.maxAgeMs/);
    expect(() => parseStreamsConfig({ dlq: { maxAgeMs: 60_000, duplicateWindowMs: 120_000 } })).toThrow(/streams\.dlq\.duplicateWindowMs: must not exceed maxAgeMs/);
    const m = streamConfig(STREAMS.metrics, parseStreamsConfig({ metrics: { maxAgeMs: 7_200_000, maxBytes: 2 ** 30 } }));
    expect(m).toMatchObject({ name: 'ETCD_METRICS', subjects: ['etcd.metrics.>'], storage: 'file', max_age: 7_200_000 * 1e6, max_bytes: 2 ** 30, duplicate_window: 120_000 * 1e6 });
    expect(streamConfig(STREAMS.findings, c).subjects).toEqual(['etcd.findings.>']);
  });

  it('consumers: durable names and max deliver are checked', () => {
    expect(parseConsumerConfig({ durable: 'analyzer' })).toMatchObject({ ackWaitMs: 30_000, maxDeliver: 10, deliverPolicy: 'all' });
    expect(() => parseConsumerConfig({ durable: 'a.b' })).toThrow(/consumer\.durable/);
    expect(() => parseConsumerConfig({ durable: 'a', maxDeliver: 0 })).toThrow(/consumer\.maxDeliver/);
  });

  it('backoff doubles up to the cap, plus jitter', () => {
    const p = { initialDelayMs: 100, maxDelayMs: 1_000, jitterMs: 50 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(p, a, () => 0))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoffDelay(p, 0, () => 0.999)).toBe(150);
  });
});
