import { describe, expect, it } from 'vitest';
import { StoreConfigSchema } from './store-config.ts';

const issues = (input: unknown): string[] => {
  const r = StoreConfigSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('StoreConfigSchema', () => {
  it('fills defaults for embedded storage', () => {
    expect(StoreConfigSchema.parse({ dataDir: '/var/lib/x' })).toEqual({ dataDir: '/var/lib/x', username: 'default', password: '', database: 'etcd_analyzer', ttlDays: 30, longTtlDays: 400, readonly: false, requestTimeoutMs: 30_000 });
  });

  it('needs a url or a data directory', () => {
    expect(issues({})).toEqual(['url: set url (a ClickHouse server) or dataDir (embedded storage)']);
  });

  it('names the key of each bad value', () => {
    const got = issues({ dataDir: '/d', ttlDays: 1.5, longTtlDays: 0, database: 'x"; DROP', readonly: 'yes' });
    expect(got.map((i) => i.split(':')[0]).sort()).toEqual(['database', 'longTtlDays', 'readonly', 'ttlDays']);
    expect(got.find((i) => i.startsWith('ttlDays'))).toContain('whole number of days');
  });

  it('refuses credentials in the url without repeating them', () => {
    const got = issues({ url: 'http://admin:hunter2@ch:8123' });
    expect(got).toEqual(['url: must not carry credentials: set username and password instead']);
    expect(got.join()).not.toContain('hunter2');
  });

  it('refuses a url that is not http(s) or carries a query', () => {
    expect(issues({ url: 'tcp://ch:9000' })).toEqual(['url: protocol must be http: or https:, not tcp:']);
    expect(issues({ url: 'http://ch:8123/?database=x' })[0]).toContain('must not carry a query');
    expect(issues({ url: 'not a url' })[0]).toContain('not a URL');
  });

  it('refuses unknown keys (a typo is not silently ignored)', () => {
    expect(issues({ dataDir: '/d', ttl: 3 })[0]).toContain('ttl');
  });
});
