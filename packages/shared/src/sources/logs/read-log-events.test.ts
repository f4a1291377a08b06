import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/index.ts';
import { LogEventSchema } from '../../schema/index.ts';
import { countOf, readLogEvents } from './read-log-events.ts';
import { fixturePath } from './test-fixtures.ts';

let dir: string;
const fixture = (name: string): string => readFileSync(fixturePath(name), 'utf8');
const path = (name: string): string => join(dir, name);
const zap = (ts: string, msg: string, fields: Record<string, unknown> = {}): string => JSON.stringify({ level: 'warn', ts, caller: 'wal/wal.go:805', msg, ...fields });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'etcd-logs-'));
  writeFileSync(path('etcd-a.log'), fixture('zap-3.5.log'));
  writeFileSync(path('etcd-b.log.gz'), gzipSync(fixture('capnslog-3.4.log')));
  writeFileSync(path('empty.log'), '');
  writeFileSync(path('broken.log.gz'), Buffer.concat([gzipSync(fixture('zap-3.5.log')).subarray(0, 200), Buffer.from('not gzip')]));
  mkdirSync(path('current'));
  writeFileSync(path('current/current.log'), `${zap('2024-05-01T09:00:00Z', 'slow fdatasync', { took: '1.5s', 'expected-duration': '1s' })}\n`);
  // A rotated log: no startup line, the member is known only from a later line's local-member-id.
  mkdirSync(path('rotated'));
  writeFileSync(
    path('rotated/current.log'),
    [
      zap('2024-05-01T09:00:00Z', 'slow fdatasync', { took: '1.5s', 'expected-duration': '1s' }),
      JSON.stringify({ level: 'info', ts: '2024-05-01T09:00:01Z', caller: 'etcdserver/server.go:2069', msg: 'published local member to cluster through raft', 'local-member-id': '8e9e05c52164694d', 'local-member-attributes': '{Name:etcd-r ClientURLs:[https://10.0.0.9:2379]}' }),
    ].join('\n'),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLogEvents', () => {
  it('reads several files (one gzipped) into one time-ordered sample with exact counts, per-file line accounting and member ids', async () => {
    const r = await readLogEvents({ files: [path('etcd-a.log'), path('etcd-b.log.gz')] });
    expect(r.problems).toEqual([]);
    for (const e of r.events) LogEventSchema.parse(e);
    const ts = r.events.map((e) => e.ts);
    expect(ts).toEqual([...ts].sort());
    expect(new Set(r.events.map((e) => e.member))).toEqual(new Set(['etcd-master-1', 'infra1']));
    expect(r.counts.reduce((n, c) => n + c.count, 0)).toBe(36);
    expect(r.counts.find((c) => c.member === 'etcd-master-1' && c.kind === 'slow-fdatasync')).toEqual({
      member: 'etcd-master-1',
      kind: 'slow-fdatasync',
      count: 2,
      firstTs: '2024-05-01T10:00:17.860Z',
      lastTs: '2024-05-01T10:16:22.917Z',
      maxDurationMs: 2008.42,
    });
    expect(r.files).toEqual([
      { file: path('etcd-a.log'), formats: ['zap-json'], lines: 26, events: 20, ordinary: 5, unknown: 1, unknownExample: 'Waiting for ports 2379, 2380 and 9978 to be released.', outsideWindow: 0, firstTs: '2024-05-01T09:59:58.104Z', lastTs: '2024-05-01T10:16:22.917Z' },
      { file: path('etcd-b.log.gz'), formats: ['notice', 'capnslog', 'raft-log'], lines: 25, events: 16, ordinary: 9, unknown: 0, outsideWindow: 0, firstTs: '2024-05-01T09:59:59.402Z', lastTs: '2024-05-01T10:06:01.000Z' },
    ]);
    expect(r.stats).toEqual({ lines: 51, parsed: 51, skipped: 1 });
    expect(r.memberIds).toEqual({ 'etcd-master-1': '8e9e05c52164694d', infra1: 'a8266ecf031671f3' });
    expect(r.events.every((e) => e.raw && e.raw.length <= 401)).toBe(true);
  });

  it('counts events outside [since, until] on their side and per file, and returns only those inside', async () => {
    const r = await readLogEvents({ files: [path('etcd-a.log'), path('etcd-b.log.gz')], since: new Date('2024-05-01T10:01:00Z'), until: new Date('2024-05-01T10:06:00Z') });
    const inside = r.counts.reduce((n, c) => n + c.count, 0);
    expect(r.outsideWindow.before + r.outsideWindow.after + inside).toBe(36);
    expect(r.outsideWindow).toEqual({ before: 6, after: 14 });
    expect(r.files.map((f) => f.outsideWindow)).toEqual([18, 2]);
    expect(r.events.every((e) => Date.parse(e.ts) >= Date.parse('2024-05-01T10:01:00Z') && Date.parse(e.ts) <= Date.parse('2024-05-01T10:06:00Z'))).toBe(true);
    expect(r.events).toHaveLength(inside);
  });

  it('filters by member, counts and outside counts alike', async () => {
    const r = await readLogEvents({ files: [path('etcd-a.log'), path('etcd-b.log.gz')], since: new Date('2024-05-01T10:01:00Z'), until: new Date('2024-05-01T10:06:00Z'), member: 'etcd-master-1' });
    expect(r.events.map((e) => e.kind)).toEqual(['compaction', 'slow-read-index']);
    expect(r.counts.map((c) => [c.member, c.kind, c.count])).toEqual([
      ['etcd-master-1', 'slow-read-index', 1],
      ['etcd-master-1', 'compaction', 1],
    ]);
    expect(r.outsideWindow).toEqual({ before: 5, after: 13 });
  });

  it('never merges elections across members: each member logs the same election in its own file', async () => {
    const r = await readLogEvents({ files: [fixturePath('zap-3.4-m1.log'), fixturePath('zap-3.4-m2.log')] });
    const term2 = r.events.filter((e) => e.kind === 'leader-elected' && e.detail?.term === 2);
    expect(term2.map((e) => [e.member, e.detail?.localId, e.detail?.leaderId])).toEqual([
      ['m1', 'ef0fa7c01f22d2fb', 'ef0fa7c01f22d2fb'],
      ['m2', 'cf02caf81ed671d6', 'ef0fa7c01f22d2fb'],
    ]);
    expect(countOf(r, 'leader-elected', 'm1')).toBe(4);
    expect(countOf(r, 'leader-elected', 'm2')).toBe(4);
    expect(r.memberIds).toEqual({ m1: 'ef0fa7c01f22d2fb', m2: 'cf02caf81ed671d6' });
  });

  it('labels a generic file name with defaultMember, and events before the line that names the member with that member', async () => {
    const r = await readLogEvents({ files: [path('current/current.log'), path('rotated/current.log')], defaultMember: 'etcd-x' });
    // Both at 09:00:00 in files read side by side: compared without their order.
    expect(r.events.map((e) => [e.member, e.kind, e.durationMs]).sort()).toEqual([
      ['etcd-r', 'slow-fdatasync', 1500],
      ['etcd-x', 'slow-fdatasync', 1500],
    ]);
    expect(r.counts.map((c) => c.member)).toEqual(['etcd-r', 'etcd-x']);
    expect(r.memberIds).toEqual({ 'etcd-r': '8e9e05c52164694d' });
  });

  it('turns unreadable, empty, foreign, corrupt and undated inputs into problems naming the file, keeping what it could read', async () => {
    writeFileSync(path('nginx.log'), '127.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 612\n'.repeat(3));
    const r = await readLogEvents({ files: [path('missing.log'), path('current'), path('empty.log'), path('nginx.log'), fixturePath('unknown-format.log'), path('broken.log.gz'), fixturePath('zap-custom-keys.log'), path('etcd-a.log')] });
    const byEntity = Object.fromEntries(r.problems.map((p) => [p.entity, p]));
    expect(byEntity[path('missing.log')]).toMatchObject({ source: 'logs', kind: 'unreachable', message: expect.stringContaining('ENOENT') });
    expect(byEntity[path('current')]).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('EISDIR') });
    expect(byEntity[path('empty.log')]).toMatchObject({ kind: 'no-data' });
    expect(byEntity[path('nginx.log')]).toMatchObject({ kind: 'malformed', message: expect.stringContaining('(3 lines)') });
    expect(byEntity[fixturePath('unknown-format.log')]).toMatchObject({
      kind: 'malformed',
      message: expect.stringContaining('first unknown line: "I0604 08:00:00.123456       1 controller.go:615] quota admission added evaluator for: leases.coordination.k8s.io"'),
    });
    expect(byEntity[path('broken.log.gz')]).toMatchObject({ kind: 'partial' });
    expect(byEntity[fixturePath('zap-custom-keys.log')]).toMatchObject({ kind: 'partial', message: expect.stringContaining('1 line in') });
    expect(r.problems).toHaveLength(7);
    expect(r.files.find((f) => f.file === fixturePath('unknown-format.log'))).toMatchObject({ lines: 5, unknown: 5, events: 0, ordinary: 0 });
    expect(countOf(r, 'slow-fdatasync', 'etcd-master-1')).toBe(2);
  });

  it('keeps memory bounded: exact counts for every event, at most samplePerKind of them kept per member and kind', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const ts = new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i * 10)).toISOString();
      lines.push(zap(ts, 'slow fdatasync', { took: i === 2_345 ? '9.5s' : '1.2s', 'expected-duration': '1s' }));
      lines.push(JSON.stringify({ level: 'info', ts, caller: 'mvcc/index.go:214', msg: 'compact tree index', revision: i }));
    }
    writeFileSync(path('etcd-big.log'), `${lines.join('\n')}\n`);
    const r = await readLogEvents({ files: [path('etcd-big.log')], samplePerKind: 20 });
    expect(r.counts).toEqual([{ member: 'etcd-big', kind: 'slow-fdatasync', count: 5_000, firstTs: '2024-05-01T10:00:00.000Z', lastTs: '2024-05-01T10:00:49.990Z', maxDurationMs: 9500 }]);
    // The earliest 4, the longest 4 and the latest 12; equally long events overlap the latest.
    expect(r.events.length).toBeLessThanOrEqual(20);
    expect(r.events.length).toBeGreaterThanOrEqual(16);
    expect(r.events.some((e) => e.durationMs === 9500)).toBe(true);
    expect(r.events.slice(0, 4).map((e) => e.ts)).toEqual(['2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.010Z', '2024-05-01T10:00:00.020Z', '2024-05-01T10:00:00.030Z']);
    expect(r.events.at(-1)?.ts).toBe('2024-05-01T10:00:49.990Z');
    expect(r.files[0]).toMatchObject({ lines: 10_000, events: 5_000, ordinary: 5_000, unknown: 0 });
    expect((await readLogEvents({ files: [path('etcd-big.log')] })).events.length).toBeLessThanOrEqual(50);
  });

  it('cuts a line past maxLineBytes before parsing and still reads what its head says', async () => {
    const huge = zap('2024-05-01T10:00:00Z', 'apply request took too long', { took: '2.5s', 'expected-duration': '100ms', prefix: '', request: `txn:<${'x'.repeat(300_000)}>` });
    writeFileSync(path('etcd-long.log'), `${huge}\n${zap('2024-05-01T10:00:01Z', 'slow fdatasync', { took: '1.5s' })}\n`);
    const r = await readLogEvents({ files: [path('etcd-long.log')], maxLineBytes: 64 * 1024 });
    expect(r.files[0]).toMatchObject({ lines: 2, events: 2, truncated: 1 });
    expect(r.events[0]).toMatchObject({ kind: 'slow-apply', durationMs: 2500, detail: { truncated: true } });
    expect(String(r.events[0]?.detail?.request ?? '').length).toBeLessThanOrEqual(301);
  });

  it('rejects bad options with a ConfigError', async () => {
    await expect(readLogEvents({ files: [], since: new Date('nope') })).rejects.toThrow(ConfigError);
    await expect(readLogEvents({ files: [], since: new Date('2024-05-02'), until: new Date('2024-05-01') })).rejects.toThrow(/since is after until/);
    await expect(readLogEvents({ files: [], samplePerKind: -1 })).rejects.toThrow(/samplePerKind/);
    await expect(readLogEvents({ files: [], maxLineBytes: 10 })).rejects.toThrow(/maxLineBytes/);
    await expect(readLogEvents({ files: ['-', '-'] })).rejects.toThrow(/only once/);
  });
});
