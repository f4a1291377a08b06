import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/index.ts';
import { readLogEvents } from './read-log-events.ts';

let dir: string;
const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const path = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'etcd-logs-'));
  writeFileSync(path('etcd-a.log'), fixture('zap-3.5.log'));
  writeFileSync(path('etcd-b.log.gz'), gzipSync(fixture('capnslog-3.4.log')));
  writeFileSync(path('empty.log'), '');
  writeFileSync(path('nginx.log'), '127.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 612\n'.repeat(3));
  writeFileSync(path('broken.log.gz'), Buffer.concat([gzipSync(fixture('zap-3.5.log')).subarray(0, 200), Buffer.from('not gzip')]));
  mkdirSync(path('current'));
  writeFileSync(path('current/current.log'), '{"level":"warn","ts":"2024-05-01T09:00:00Z","msg":"slow fdatasync","took":"1.5s","expected-duration":"1s"}\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLogEvents', () => {
  it('reads several files (one gzipped) into one time-ordered list with per-file members', async () => {
    const r = await readLogEvents({ files: [path('etcd-a.log'), path('etcd-b.log.gz')] });
    expect(r.problems).toEqual([]);
    // One foreign line ("Waiting for ports ...", OpenShift's wrapper script); capnslog's banner is etcd's own.
    expect(r.stats).toEqual({ lines: 51, parsed: 51, skipped: 1 });
    const ts = r.events.map((e) => e.ts);
    expect(ts).toEqual([...ts].sort());
    expect(new Set(r.events.map((e) => e.member))).toEqual(new Set(['etcd-master-1', 'infra1']));
    expect(r.events).toHaveLength(36);
    expect(r.events.every((e) => e.raw && e.raw.length <= 401)).toBe(true);
  });

  it('filters by time window and by member', async () => {
    const r = await readLogEvents({
      files: [path('etcd-a.log'), path('etcd-b.log.gz')],
      since: new Date('2024-05-01T10:01:00Z'),
      until: new Date('2024-05-01T10:06:00Z'),
      member: 'etcd-master-1',
    });
    expect(r.events.map((e) => e.kind)).toEqual(['compaction', 'slow-read-index']);
  });

  it('labels a generic file name with defaultMember', async () => {
    const r = await readLogEvents({ files: [path('current/current.log')], defaultMember: 'etcd-x' });
    expect(r.events).toMatchObject([{ kind: 'slow-fdatasync', member: 'etcd-x', durationMs: 1500 }]);
  });

  it('turns unreadable, empty, foreign and corrupt inputs into problems, keeping what it could read', async () => {
    const r = await readLogEvents({ files: [path('missing.log'), path('current'), path('empty.log'), path('nginx.log'), path('broken.log.gz'), path('etcd-a.log')] });
    const byEntity = Object.fromEntries(r.problems.map((p) => [p.entity, p]));
    expect(byEntity[path('missing.log')]).toMatchObject({ source: 'logs', kind: 'unreachable', message: expect.stringContaining('ENOENT') });
    expect(byEntity[path('current')]).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('EISDIR') });
    expect(byEntity[path('empty.log')]).toMatchObject({ kind: 'no-data' });
    expect(byEntity[path('nginx.log')]).toMatchObject({ kind: 'malformed', message: expect.stringContaining('3 lines') });
    expect(byEntity[path('broken.log.gz')]).toMatchObject({ kind: 'partial' });
    expect(r.problems).toHaveLength(5);
    expect(r.events.filter((e) => e.member === 'etcd-master-1')).toHaveLength(20);
  });

  it('rejects a bad window with a ConfigError', async () => {
    await expect(readLogEvents({ files: [], since: new Date('nope') })).rejects.toThrow(ConfigError);
    await expect(readLogEvents({ files: [], since: new Date('2024-05-02'), until: new Date('2024-05-01') })).rejects.toThrow(/since is after until/);
  });
});
