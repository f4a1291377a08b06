import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../schema/index.ts';
import { createLogParser, parseLogLine } from './parser.ts';
import { parseFixture } from './test-fixtures.ts';

// Server-side events across etcd versions: defragmentation, leadership, heartbeats, read index,
// durations in every encoding. Fixture lines are cited in fixtures/README.md.
const pick = (events: LogEvent[], kind: string): Array<Partial<LogEvent>> =>
  events.filter((e) => e.kind === kind).map(({ ts, durationMs, expectedMs, detail, peer }) => ({ ts, durationMs, expectedMs, detail, peer }));

describe('defragmentation', () => {
  it.each([
    {
      file: 'zap-3.5-network.log',
      what: '3.5: sizes before from "defragmenting", after and took from "finished defragmenting directory"; a defrag that failed',
      defrags: [
        {
          ts: '2024-06-10T00:30:04.619Z',
          durationMs: 4617.839,
          expectedMs: undefined,
          peer: undefined,
          detail: { dbSizeBytesBefore: 2147483648, dbSizeInUseBytesBefore: 524288000, dbSizeBytes: 524288000, dbSizeInUseBytes: 523239424, finished: true },
        },
        { ts: '2024-06-10T00:40:01.250Z', durationMs: 1250, expectedMs: undefined, peer: undefined, detail: { dbSizeBytesBefore: 524288000, dbSizeInUseBytesBefore: 523239424, error: 'etcdserver: server stopped', finished: false } },
      ],
    },
    {
      file: 'zap-3.4-m1.log',
      what: '3.4 captured: "defragmented" carries the diffs the sizes before come from',
      defrags: [{ ts: '2026-12-02T13:06:24.983Z', durationMs: 1.256, expectedMs: undefined, peer: undefined, detail: { dbSizeBytesBefore: 40960, dbSizeInUseBytesBefore: 24576, dbSizeBytes: 24576, dbSizeInUseBytes: 16384, finished: true } }],
    },
    {
      file: 'capnslog-3.3-debug.log',
      what: 'capnslog: no sizes, the duration is the time between the two notices',
      defrags: [{ ts: '2018-03-21T14:05:03.918Z', durationMs: 3918, expectedMs: undefined, peer: undefined, detail: { finished: true } }],
    },
  ])('$file: $what', ({ file, defrags }) => {
    expect(pick(parseFixture(file).events, 'defrag')).toEqual(defrags);
  });

  it('reports a defrag the log never finished, at its start', () => {
    const p = createLogParser({ member: 'm' });
    p.push('{"level":"info","ts":"2024-06-10T08:30:00.000Z","caller":"v3rpc/maintenance.go:97","msg":"starting defragment"}');
    p.push('{"level":"info","ts":"2024-06-10T08:30:00.001Z","caller":"backend/backend.go:517","msg":"defragmenting","path":"/var/lib/etcd/member/snap/db","current-db-size-bytes":2147483648,"current-db-size-in-use-bytes":524288000}');
    expect(p.end()).toMatchObject([{ kind: 'defrag', level: 'warn', ts: '2024-06-10T08:30:00.000Z', message: 'defragmentation started; the log shows no end', detail: { finished: false, dbSizeBytesBefore: 2147483648 } }]);
  });

  it('reports a defrag cut short by a restart when the member starts again, with its own level', () => {
    const p = createLogParser({ member: 'm' });
    p.push('{"level":"info","ts":"2024-06-10T08:30:00.000Z","caller":"v3rpc/maintenance.go:97","msg":"starting defragment"}');
    const restart = p.push('{"level":"info","ts":"2024-06-10T08:31:00.000Z","caller":"embed/etcd.go:309","msg":"starting an etcd server","name":"m"}');
    expect(restart).toMatchObject([{ kind: 'defrag', level: 'warn', ts: '2024-06-10T08:30:00.000Z', detail: { finished: false } }]);
    expect(p.end()).toEqual([]);
  });
});

describe('leadership', () => {
  it.each([
    { file: 'zap-3.5-network.log', term: 8, ts: '2024-06-10T00:52:10.300Z' },
    { file: 'capnslog-2.3.log', term: 42, ts: '2016-11-03T09:41:23.701Z' },
    { file: 'zap-3.4-m1.log', term: 2, ts: '2026-12-02T13:06:36.657Z' },
  ])('$file: "stepped down to follower since quorum is not active" is leadership lost, once with the "lost leader" after it', ({ file, term, ts }) => {
    const lost = parseFixture(file).events.filter((e) => e.kind === 'leader-lost' && e.detail?.reason === 'quorum-inactive');
    expect(lost[0]).toMatchObject({ ts, detail: { reason: 'quorum-inactive', term } });
    const echo = parseFixture(file).events.filter((e) => e.kind === 'leader-lost' && e.ts.slice(0, 19) === ts.slice(0, 19) && e.detail?.reason === undefined);
    expect(echo).toEqual([]);
  });

  it('counts one election per member stream and term, though the winner logs two lines for it', () => {
    const elected = pick(parseFixture('capnslog-2.3.log').events, 'leader-elected');
    expect(elected.map((e) => e.detail?.term)).toEqual([41, 42, 43]);
  });
});

describe('older wordings of known events', () => {
  it.each([
    { file: 'capnslog-2.3.log', what: '2.3 "deadline exceeded for"', kind: 'heartbeat-failure', first: { durationMs: 185.939, expectedMs: undefined, peer: undefined } },
    { file: 'journald-3.0.log', what: '3.0 "exceeded the 200ms timeout for"', kind: 'heartbeat-failure', first: { durationMs: 401.887, expectedMs: 400, peer: undefined } },
    { file: 'capnslog-3.3-debug.log', what: '3.3 ", to <peer>"', kind: 'heartbeat-failure', first: { durationMs: 71.742, expectedMs: 200, peer: '7339c4e5e833c029' } },
    { file: 'capnslog-3.3-debug.log', what: '3.1-3.3 read index timeout is a slow read index', kind: 'slow-read-index', first: { durationMs: undefined, expectedMs: undefined, peer: undefined } },
    { file: 'journald-3.0.log', what: '3.0 "apply entries took too long"', kind: 'slow-apply', first: { durationMs: 112.631, expectedMs: 100, peer: undefined } },
    { file: 'journald-3.0.log', what: '3.0 "health check for peer X failed"', kind: 'peer-unhealthy', first: { durationMs: undefined, expectedMs: undefined, peer: '9a1c7e3b5d2f4068' } },
  ])('$file: $what', ({ file, kind, first }) => {
    const [e] = pick(parseFixture(file).events, kind);
    expect({ durationMs: e?.durationMs, expectedMs: e?.expectedMs, peer: e?.peer }).toEqual(first);
  });
});

describe('durations in every encoding', () => {
  const production = parseFixture('zap-production.log').events;
  const byKind = (events: LogEvent[], kind: string): LogEvent[] => events.filter((e) => e.kind === kind);

  it.each([
    { what: 'float seconds (zap production encoder), an integer in the same log read as seconds', got: () => byKind(production, 'slow-fdatasync')[0], want: { durationMs: 1263.337, expectedMs: 1000 } },
    { what: 'float seconds in an apply warning', got: () => byKind(production, 'expensive-read')[0], want: { durationMs: 123.457, expectedMs: 100 } },
    { what: "the read index retry-timeout is the event's duration", got: () => byKind(production, 'slow-read-index')[0], want: { durationMs: 500, detail: { retryTimeoutMs: 500 } } },
    { what: 'a read index that timed out waited the request timeout', got: () => byKind(production, 'slow-read-index')[1], want: { durationMs: 7000, detail: { timedOut: true } } },
    { what: "the space-exceeded request's took", got: () => byKind(production, 'db-space-exceeded')[0], want: { durationMs: 0.512 } },
    { what: 'integer nanoseconds (NanosDurationEncoder)', got: () => byKind(parseFixture('zap-custom-keys.log').events, 'heartbeat-failure')[0], want: { durationMs: 61.15, expectedMs: 200, detail: { heartbeatIntervalMs: 100 } } },
    { what: 'Go duration strings', got: () => byKind(parseFixture('zap-3.5.log').events, 'slow-fdatasync')[0], want: { durationMs: 1263.337, expectedMs: 1000 } },
    { what: "capnslog's failed apply took (3.4)", got: () => parseLogLine('2024-05-01 10:05:41.114902 W | etcdserver: failed to apply request "header:<ID:6390834781192233750 > put:<key:\\"/registry/events/x\\" value_size:612 >" with response "" took (162.703µs) to execute, err is etcdserver: mvcc: database space exceeded'), want: { kind: 'db-space-exceeded', durationMs: 0.163 } },
  ])('$what', ({ got, want }) => {
    expect(got()).toMatchObject(want);
  });
});
