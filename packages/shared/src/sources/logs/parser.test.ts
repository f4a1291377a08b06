import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogEventSchema, type LogEvent } from '../../schema/index.ts';
import { createLogParser, memberFromPath, parseLogLine, type LogContext } from './parser.ts';

// Fixture lines follow etcd's real formats (message strings and fields from its sources, and
// lines captured from etcd 3.4.23 in both loggers); envelopes follow CRI-O/containerd, docker's
// json-file driver, journalctl and kubectl --prefix --timestamps.
const fixture = (name: string): string[] => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').split('\n');

function parseAll(lines: string[], ctx: LogContext = {}): { events: LogEvent[]; stats: { lines: number; parsed: number; skipped: number }; member: string | undefined } {
  const p = createLogParser({ rawChars: 0, year: 2024, ...ctx });
  const events = lines.flatMap((l) => p.push(l));
  events.push(...p.end());
  for (const e of events) LogEventSchema.parse(e);
  return { events, stats: { ...p.stats }, member: p.member };
}

const kinds = (events: LogEvent[]): string[] => events.map((e) => e.kind);

describe('zap JSON (3.5/3.6, 3.4 with --logger=zap)', () => {
  const { events, stats, member } = parseAll(fixture('zap-3.5.log'), { source: '/logs/current.log' });

  it('turns each known warning into its kind, in order, and drops ordinary info lines', () => {
    expect(kinds(events)).toEqual([
      'leader-elected',
      'expensive-read',
      'slow-apply',
      'slow-fdatasync',
      'heartbeat-failure',
      'compaction',
      'slow-read-index',
      'slow-read-index',
      'peer-unhealthy',
      'clock-skew',
      'sending-buffer-full',
      'snapshot-slow',
      'leader-lost',
      'leader-elected',
      'leader-changed',
      'db-space-exceeded',
      'db-space-exceeded',
      'request-timeout',
      'error',
      'slow-fdatasync',
    ]);
  });

  it('counts the foreign line as skipped and both halves of a glued line as parsed', () => {
    expect(stats).toEqual({ lines: 26, parsed: 26, skipped: 1 });
  });

  it('names the member from the "starting an etcd server" line, for every event', () => {
    expect(member).toBe('etcd-master-1');
    expect(events.every((e) => e.member === 'etcd-master-1')).toBe(true);
  });

  it('counts one election per term although the winner logs "became leader" and "elected leader"', () => {
    const elected = events.filter((e) => e.kind === 'leader-elected');
    expect(elected.map((e) => e.detail?.term)).toEqual([7, 8]);
    expect(elected[1]?.detail).toMatchObject({ localId: '8e9e05c52164694d', leaderId: '63b75c3d731594fc' });
  });

  it('tells an expensive range read from a slow write, with the sizes that explain it', () => {
    const read = events.find((e) => e.kind === 'expensive-read');
    expect(read).toMatchObject({ ts: '2024-05-01T10:00:05.234Z', level: 'warn', durationMs: 123.457, expectedMs: 100 });
    expect(read?.detail).toMatchObject({ prefix: 'read-only range', responseCount: 1500, responseBytes: 4567890 });
    expect(String(read?.detail?.request)).toContain('/registry/pods/');
    const write = events.find((e) => e.kind === 'slow-apply');
    expect(write).toMatchObject({ durationMs: 1200, expectedMs: 100 });
    expect(String(write?.detail?.request)).toContain('request_put');
  });

  it('parses the durations that matter for each kind', () => {
    const by = (k: string): LogEvent | undefined => events.find((e) => e.kind === k);
    expect(by('slow-fdatasync')).toMatchObject({ durationMs: 1263.337, expectedMs: 1000 });
    expect(by('heartbeat-failure')).toMatchObject({ durationMs: 61.15, expectedMs: 200, detail: { to: '63b75c3d731594fc', heartbeatIntervalMs: 100 } });
    expect(by('compaction')).toMatchObject({ durationMs: 216.243, detail: { revision: 1198057, dbSizeBytes: 99495936, dbSizeInUseBytes: 62197760 } });
    expect(by('clock-skew')).toMatchObject({ durationMs: 1131.407, expectedMs: 1000 });
    expect(by('snapshot-slow')).toMatchObject({ durationMs: 30012, detail: { bytes: 8589934592 } });
    // The read index wait is the retry timeout; a read index that timed out waited the request timeout.
    const [retry, timedOut] = events.filter((e) => e.kind === 'slow-read-index');
    expect(retry).toMatchObject({ durationMs: 500, detail: { retryTimeoutMs: 500 } });
    expect(timedOut).toMatchObject({ durationMs: 7000, detail: { timedOut: true } });
    expect(by('request-timeout')).toMatchObject({ message: 'failed to revoke lease', detail: { error: 'etcdserver: request timed out' } });
    expect(by('db-space-exceeded')).toMatchObject({ detail: { alarm: 'NOSPACE' } });
  });

  it('keeps an error-level line that matches nothing more specific as an error event', () => {
    expect(events.find((e) => e.kind === 'error')).toMatchObject({ level: 'error', message: 'failed to fetch hashKV', detail: { caller: 'etcdserver/corrupt.go:250' } });
  });
});

describe('capnslog (3.4 default)', () => {
  const { events, stats, member } = parseAll(fixture('capnslog-3.4.log'));

  it('reads the capnslog equivalents of the zap warnings and the raft library lines', () => {
    expect(kinds(events)).toEqual([
      'leader-elected',
      'expensive-read',
      'expensive-read',
      'slow-apply',
      'slow-apply',
      'slow-fdatasync',
      'heartbeat-failure',
      'peer-unhealthy',
      'clock-skew',
      'sending-buffer-full',
      'slow-read-index',
      'compaction',
      'snapshot-slow',
      'db-space-exceeded',
      // "E | failed to write X on stream Message" and the "peer X became inactive" after it: one deactivation.
      'peer-inactive',
      'leader-lost',
    ]);
    // The [WARNING] banner etcd prints before its logger starts (embed/config_logging.go) is its own line too.
    expect(stats).toMatchObject({ skipped: 0, parsed: stats.lines });
  });

  it('learns the member name from "embed: name = ..."', () => {
    expect(member).toBe('infra1');
    expect(new Set(events.map((e) => e.member))).toEqual(new Set(['infra1']));
  });

  it('parses capnslog durations and keeps the error a slow request ended with', () => {
    const [cheap, timedOut] = events.filter((e) => e.kind === 'expensive-read');
    expect(cheap).toMatchObject({ ts: '2024-05-01T10:01:00.048Z', durationMs: 204.024, expectedMs: 100, detail: { responseCount: 0, responseBytes: 8 } });
    expect(String(cheap?.detail?.request)).toBe('key:"/registry/apps.kruise.io/containerrecreaterequests" range_end:"/registry/apps.kruise.io/containerrecreaterequestt" count_only:true ');
    expect(timedOut).toMatchObject({ durationMs: 7000.599, detail: { error: 'etcdserver: request timed out' } });
    expect(events.find((e) => e.detail?.entries === 1)).toMatchObject({ kind: 'slow-apply', durationMs: 221.681, expectedMs: 100 });
    expect(events.find((e) => e.kind === 'slow-fdatasync')).toMatchObject({ durationMs: 1719.859, expectedMs: 1000 });
    // The leader warns past twice the heartbeat interval (contention.NewTimeoutDetector(2 * heartbeat)).
    expect(events.find((e) => e.kind === 'heartbeat-failure')).toMatchObject({ durationMs: 218.239, expectedMs: 200, peer: '63b75c3d731594fc', detail: { to: '63b75c3d731594fc', heartbeatIntervalMs: 100 } });
    expect(events.find((e) => e.kind === 'clock-skew')).toMatchObject({ durationMs: 1543, expectedMs: 1000 });
    expect(events.find((e) => e.kind === 'compaction')).toMatchObject({ durationMs: 0.172, detail: { revision: 2 } });
    expect(events.find((e) => e.kind === 'snapshot-slow')).toMatchObject({ durationMs: 31500, detail: { sizeMB: 1024.5 } });
  });

  it('reads the raft logger time (second resolution) and maps capnslog letters to levels', () => {
    expect(events[0]).toMatchObject({ ts: '2024-05-01T10:00:01.000Z', level: 'info' });
    expect(events.find((e) => e.kind === 'peer-inactive')).toMatchObject({ level: 'error', peer: '63b75c3d731594fc', detail: { action: 'write', stream: 'stream Message' } });
  });
});

describe('envelopes', () => {
  it('CRI: joins P pieces with the closing F line and prefers the runtime time for capnslog', () => {
    const { events, stats } = parseAll(fixture('cri.log'), { source: '/var/log/pods/openshift-etcd_etcd-master-2_0f1e2d3c-aaaa-bbbb-cccc-1234567890ab/etcd/0.log' });
    expect(kinds(events)).toEqual(['expensive-read', 'slow-fdatasync', 'slow-fdatasync']);
    expect(events[0]).toMatchObject({ durationMs: 345.6, detail: { responseCount: 900 }, member: 'etcd-master-2' });
    expect(events[2]).toMatchObject({ ts: '2024-05-01T10:00:03.000Z', durationMs: 2500 });
    // Seven lines: three pieces make one record; the WARNING line is grpc-go's logger in etcd's stderr.
    expect(stats).toEqual({ lines: 7, parsed: 5, skipped: 0 });
  });

  it('docker json-file: unwraps, and joins an entry split without its newline', () => {
    const { events } = parseAll(fixture('docker.log'), { source: '/var/lib/docker/containers/abc/etcd-1.log' });
    expect(kinds(events)).toEqual(['leader-elected', 'heartbeat-failure', 'slow-apply']);
    expect(events[1]).toMatchObject({ durationMs: 1500, expectedMs: 200, member: 'etcd-1' });
  });

  it('journald: short format around bare capnslog (host names the member), short-iso and -o json around zap', () => {
    const { events } = parseAll(fixture('journald.log'));
    expect(events.map((e) => [e.kind, e.member, e.ts])).toEqual([
      ['heartbeat-failure', 'master-2', '2024-06-04T09:33:38.000Z'],
      ['slow-apply', 'master-2', '2024-06-04T08:20:54.000Z'],
      ['peer-inactive', 'node2', '2024-06-04T09:39:55.861Z'],
      ['peer-unhealthy', 'node2', '2024-06-04T09:40:00.123Z'],
      ['slow-fdatasync', 'master-3', '2024-06-04T09:40:00.000Z'],
    ]);
    // Bare capnslog carries no level: a warning kind reads as warn.
    expect(events[1]?.level).toBe('warn');
    expect(events[2]).toMatchObject({ peer: '5f1d0c8e2b7a9436', detail: { action: 'dial', stream: 'stream MsgApp v2', error: 'dial tcp 10.0.2.13:2380: i/o timeout' } });
  });

  it('kubectl --prefix: each line names its pod, and a startup line cannot rename it', () => {
    const { events } = parseAll(fixture('kubectl-prefix.log'));
    expect(events.map((e) => [e.kind, e.member])).toEqual([
      ['slow-fdatasync', 'etcd-master-0'],
      ['leader-elected', 'etcd-master-1'],
      ['leader-elected', 'etcd-master-0'],
    ]);
  });

  it('kubectl --prefix: the pod names the member; a malformed prefix is not an envelope', () => {
    const zap = '{"level":"warn","ts":"2024-05-01T10:00:07Z","caller":"wal/wal.go:805","msg":"slow fdatasync","took":"1.5s","expected-duration":"1s"}';
    expect(parseLogLine(`[pod/etcd-master-2/etcd]${zap}`)?.member).toBe('etcd-master-2');
    expect(parseLogLine(`[pod/etcd-master-2/etcd] 2024-05-01T10:00:07.000000001Z ${zap}`)).toMatchObject({ member: 'etcd-master-2', ts: '2024-05-01T10:00:07.000Z' });
    for (const bad of [`[pod//etcd] ${zap}`, `[pod/a b/etcd] ${zap}`, `[pod/x/] ${zap}`]) expect(parseLogLine(bad)).toBeUndefined();
  });

  it('zap console encoding', () => {
    const { events } = parseAll(fixture('zap-console.log'));
    expect(events.map((e) => [e.kind, e.durationMs])).toEqual([
      ['expensive-read', 250],
      ['compaction', 1.5],
    ]);
  });
});

describe('parseLogLine', () => {
  it('parses one line with an explicit member and keeps a truncated raw line', () => {
    const line = `{"level":"warn","ts":"2024-05-01T10:00:07Z","msg":"slow fdatasync","took":"1m2.5s","expected-duration":"1s","pad":"${'x'.repeat(1000)}"}`;
    const e = parseLogLine(line, { member: 'm1', rawChars: 50 });
    expect(e).toMatchObject({ kind: 'slow-fdatasync', member: 'm1', durationMs: 62500, ts: '2024-05-01T10:00:07.000Z' });
    expect(e?.raw).toHaveLength(51);
  });

  it('returns undefined for ordinary lines and never throws on garbage', () => {
    expect(parseLogLine('{"level":"info","ts":"2024-05-01T10:00:00Z","msg":"serving client traffic"}')).toBeUndefined();
    for (const junk of ['', '{', '{"msg":', '[pod/x/y]', '2024-05-01T10:00:00Z stderr F', 'raft2024/13/45 99:99:99 INFO: x', '\u0000\uffff', '{"log":5}', '{"level":"warn","ts":"never","msg":"slow fdatasync"}']) {
      expect(() => parseLogLine(junk)).not.toThrow();
      expect(parseLogLine(junk)).toBeUndefined();
    }
  });

  it('skips the named-logger column of zap console lines so raft lines keep their meaning', () => {
    const line = '2024-05-01T10:00:00.123Z\tinfo\traft\traft/raft.go:765\t8e9e05c52164694d became leader at term 9';
    expect(parseLogLine(line)).toMatchObject({ kind: 'leader-elected', detail: { term: 9 } });
  });

  it('reads the server\'s own NOSPACE lines (3.4 and 3.5), not only the client\'s wording', () => {
    const raised = '{"level":"warn","ts":"2024-05-01T10:00:00Z","caller":"etcdserver/server.go:2217","msg":"message exceeded backend quota; raising alarm","quota-size-bytes":2147483648,"quota-size":"2.1 GB","error":"etcdserver: mvcc: database space exceeded"}';
    expect(parseLogLine(raised)?.kind).toBe('db-space-exceeded');
    expect(parseLogLine('2024-05-01 10:00:00.000000 E | etcdserver: applying raft message exceeded backend quota')?.kind).toBe('db-space-exceeded');
    const refused = '{"level":"warn","ts":"2024-05-01T10:00:01Z","caller":"v3rpc/interceptor.go:197","msg":"request stats","error":"etcdserver: no space"}';
    expect(parseLogLine(refused)?.kind).toBe('db-space-exceeded');
  });

  it('reads epoch-seconds timestamps (zap default encoder)', () => {
    expect(parseLogLine('{"level":"warn","ts":1714557600.5,"msg":"slow fdatasync","took":"1.1s"}')?.ts).toBe('2024-05-01T10:00:00.500Z');
  });
});

describe('createLogParser streaming', () => {
  it('holds a partial CRI line across pushes and flushes a dangling one at the end', () => {
    const p = createLogParser();
    expect(p.push('2024-05-01T10:00:00Z stderr P {"level":"warn","ts":"2024-05-01T10:00:00Z",')).toEqual([]);
    expect(p.push('2024-05-01T10:00:00Z stderr F "msg":"slow fdatasync","took":"2s"}')).toHaveLength(1);
    expect(p.push('2024-05-01T10:00:01Z stdout P {"level":"warn","ts":"2024-05-01T10:00:01Z","msg":"slow fdatasync","took":"3s"}')).toEqual([]);
    expect(p.end().map((e) => e.durationMs)).toEqual([3000]);
  });
});

describe('memberFromPath', () => {
  it('finds the pod in must-gather and kubelet paths, else uses a non-generic file name', () => {
    expect(memberFromPath('must-gather/namespaces/openshift-etcd/pods/etcd-ocp-master-0/etcd/etcd/logs/current.log')).toEqual({ pod: 'etcd-ocp-master-0' });
    expect(memberFromPath('/var/log/pods/openshift-etcd_etcd-master-2_0f1e2d3c-aaaa-bbbb-cccc-1234567890ab/etcd/0.log')).toEqual({ pod: 'etcd-master-2' });
    expect(memberFromPath('/var/log/containers/etcd-master-1_openshift-etcd_etcd-0123abcd.log')).toEqual({ pod: 'etcd-master-1' });
    expect(memberFromPath('/tmp/lab/etcd-0.log')).toEqual({ file: 'etcd-0' });
    expect(memberFromPath('/tmp/lab/etcd-0.log.1.gz')).toEqual({ file: 'etcd-0' });
    expect(memberFromPath('/var/log/etcd/current.log')).toEqual({});
  });
});
