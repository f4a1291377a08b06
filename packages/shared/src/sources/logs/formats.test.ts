import { describe, expect, it } from 'vitest';
import { cleanExample } from './file-counters.ts';
import { parseFixture } from './test-fixtures.ts';

// Every format etcd's logs come in, as found: each fixture's lines are captured from etcd 3.4.23
// or written from etcd's own format strings (fixtures/README.md cites each). A row pins what every
// line became (events + ordinary + unknown = lines) and the events in order.
const CASES: ReadonlyArray<{
  file: string;
  what: string;
  formats: string[];
  counts: { lines: number; events: number; ordinary: number; unknown: number };
  member?: string;
  kinds: string[];
}> = [
  {
    file: 'zap-3.4-m1.log',
    what: 'zap JSON captured from etcd 3.4.23 --logger=zap (grpc-go lines in the same stderr)',
    formats: ['zap-json', 'grpc-log'],
    counts: { lines: 203, events: 46, ordinary: 157, unknown: 0 },
    member: 'm1',
    kinds: [
      'leader-elected', 'defrag', 'peer-connection-lost', 'peer-inactive', 'peer-connection-lost', 'peer-connection-lost', 'peer-unreachable', 'peer-unreachable',
      'peer-connection-lost', 'peer-unreachable', 'peer-connection-lost', 'peer-inactive', 'peer-connection-lost', 'peer-connection-lost', 'leader-lost', 'peer-active',
      'peer-connection-restored', 'peer-inactive', 'peer-active', 'peer-connection-restored', 'peer-connection-restored', 'leader-elected', 'peer-connection-lost',
      'peer-connection-restored', 'peer-active', 'peer-connection-restored', 'peer-inactive', 'peer-active', 'peer-inactive', 'peer-active', 'peer-connection-restored',
      'peer-connection-restored', 'peer-connection-restored', 'peer-rejected', 'peer-rejected', 'leader-lost', 'leader-elected', 'leader-lost', 'leader-elected',
      'peer-connection-lost', 'peer-connection-lost', 'peer-inactive', 'peer-connection-lost', 'leader-lost', 'peer-connection-lost', 'request-timeout',
    ],
  },
  {
    file: 'capnslog-3.4-m1.log',
    what: 'capnslog and the raft logger captured from etcd 3.4.23, with the --logger banner',
    formats: ['notice', 'capnslog', 'raft-log'],
    counts: { lines: 175, events: 35, ordinary: 140, unknown: 0 },
    member: 'm1',
    kinds: [
      'leader-elected', 'defrag', 'peer-connection-lost', 'peer-inactive', 'peer-connection-lost', 'peer-connection-lost', 'peer-unreachable', 'peer-unreachable',
      'peer-connection-lost', 'peer-unreachable', 'peer-connection-lost', 'peer-inactive', 'peer-connection-lost', 'peer-connection-lost', 'leader-lost',
      'peer-connection-lost', 'peer-active', 'peer-connection-restored', 'peer-connection-restored', 'peer-connection-restored', 'peer-connection-restored',
      'peer-active', 'peer-connection-restored', 'peer-inactive', 'peer-active', 'peer-connection-restored', 'peer-connection-restored', 'peer-connection-restored',
      'leader-elected', 'peer-rejected', 'peer-rejected', 'leader-lost', 'leader-elected', 'peer-rejected', 'peer-rejected',
    ],
  },
  {
    file: 'zap-3.5-network.log',
    what: 'zap JSON in 3.5/3.6 wordings with a +0800 zone',
    formats: ['zap-json'],
    counts: { lines: 55, events: 21, ordinary: 34, unknown: 0 },
    member: 'etcd-b',
    kinds: [
      'leader-elected', 'peer-connection-lost', 'peer-inactive', 'peer-connection-lost', 'peer-unhealthy', 'peer-unhealthy', 'peer-unreachable', 'sending-buffer-full',
      'peer-rejected', 'connection-rejected', 'peer-rejected', 'peer-rejected', 'peer-active', 'peer-connection-restored', 'peer-connection-restored',
      'peer-connection-lost', 'peer-connection-restored', 'defrag', 'defrag', 'leader-elected', 'leader-lost',
    ],
  },
  {
    file: 'capnslog-3.3-debug.log',
    what: 'capnslog with --debug: a [file.go:N] column after the time',
    formats: ['capnslog'],
    counts: { lines: 24, events: 12, ordinary: 12, unknown: 0 },
    member: 'etcd-1',
    kinds: ['heartbeat-failure', 'slow-read-index', 'expensive-read', 'peer-unhealthy', 'peer-inactive', 'clock-skew', 'peer-unreachable', 'sending-buffer-full', 'peer-active', 'peer-connection-restored', 'defrag', 'connection-rejected'],
  },
  {
    file: 'capnslog-2.3.log',
    what: 'etcd 2.3 capnslog: raft under capnslog, "the connection with X became ...", deadline heartbeats',
    formats: ['capnslog'],
    counts: { lines: 31, events: 14, ordinary: 17, unknown: 0 },
    member: 'infra0',
    kinds: ['leader-elected', 'leader-elected', 'leader-changed', 'heartbeat-failure', 'heartbeat-failure', 'peer-inactive', 'peer-unhealthy', 'peer-inactive', 'leader-lost', 'peer-active', 'peer-active', 'leader-elected', 'peer-rejected', 'peer-rejected'],
  },
  {
    file: 'journald-3.0.log',
    what: 'etcd 3.0 capnslog through journald (short format, prefix dropped)',
    formats: ['journald', 'text'],
    counts: { lines: 12, events: 5, ordinary: 7, unknown: 0 },
    member: 'SN-2',
    kinds: ['leader-elected', 'slow-apply', 'heartbeat-failure', 'peer-unhealthy', 'slow-fdatasync'],
  },
  {
    file: 'go-log-2.0.log',
    what: "etcd 2.0 on Go's standard logger, some lines with log.Lshortfile's column",
    formats: ['go-log'],
    counts: { lines: 11, events: 5, ordinary: 6, unknown: 0 },
    member: 'infra1',
    kinds: ['leader-elected', 'peer-inactive', 'peer-active', 'peer-inactive', 'peer-active'],
  },
  {
    file: 'journald-json-pretty.log',
    what: 'journalctl -o json-pretty around capnslog journald records (multi-line objects)',
    formats: ['journald-json', 'text'],
    counts: { lines: 690, events: 598, ordinary: 92, unknown: 0 },
    member: 'vm',
    kinds: [
      'defrag', 'peer-connection-lost', 'peer-inactive', 'peer-connection-lost', 'peer-connection-lost', 'peer-unreachable', 'peer-unreachable', 'peer-connection-lost',
      'peer-unreachable', 'peer-connection-lost', 'peer-inactive', 'peer-connection-lost', 'peer-connection-lost', 'peer-connection-lost', 'peer-active',
      'peer-connection-restored', 'peer-connection-restored', 'peer-connection-restored', 'peer-connection-restored', 'peer-active', 'peer-connection-restored',
      'peer-inactive', 'peer-active', 'peer-connection-restored', 'peer-connection-restored', 'peer-connection-restored',
    ],
  },
  {
    file: 'journald-json-seq.log',
    what: 'journalctl -o json-seq around zap records sent with --log-outputs=systemd/journal',
    formats: ['journald-json', 'zap-json'],
    counts: { lines: 58, events: 32, ordinary: 26, unknown: 0 },
    member: 'vm',
    kinds: [
      'defrag', 'peer-connection-lost', 'peer-inactive', 'peer-connection-lost', 'peer-connection-lost', 'peer-unreachable', 'peer-unreachable', 'peer-connection-lost',
      'peer-unreachable', 'peer-connection-lost', 'peer-inactive', 'peer-connection-lost', 'peer-connection-lost', 'leader-lost', 'peer-active',
      'peer-connection-restored', 'peer-inactive', 'peer-active', 'peer-connection-restored', 'peer-connection-restored', 'leader-elected', 'peer-connection-lost',
      'peer-connection-restored', 'peer-active', 'peer-connection-restored', 'peer-inactive', 'peer-active', 'peer-inactive', 'peer-active',
      'peer-connection-restored', 'peer-connection-restored', 'peer-connection-restored',
    ],
  },
  {
    file: 'zap-production.log',
    what: "zap's production encoder (embedded etcd): epoch-second ts, float-second durations",
    formats: ['zap-json'],
    counts: { lines: 7, events: 6, ordinary: 1, unknown: 0 },
    member: 'embedded-0',
    kinds: ['slow-fdatasync', 'expensive-read', 'slow-read-index', 'slow-read-index', 'compaction', 'db-space-exceeded'],
  },
  {
    file: 'zap-custom-keys.log',
    what: 'severity/timestamp/message keys, nanosecond integers, time-only and missing timestamps',
    formats: ['zap-json'],
    counts: { lines: 5, events: 3, ordinary: 2, unknown: 0 },
    member: 'etcd-gke-0',
    kinds: ['slow-fdatasync', 'heartbeat-failure', 'slow-fdatasync'],
  },
  { file: 'zap-console.log', what: 'zap console encoding (3.6 --log-format=console)', formats: ['zap-console'], counts: { lines: 5, events: 2, ordinary: 3, unknown: 0 }, kinds: ['expensive-read', 'compaction'] },
  {
    file: 'cri.log',
    what: 'CRI-O/containerd wrapper, partial lines joined, grpc-go line',
    formats: ['cri', 'capnslog', 'grpc-log'],
    counts: { lines: 7, events: 5, ordinary: 2, unknown: 0 },
    kinds: ['expensive-read', 'slow-fdatasync', 'slow-fdatasync'],
  },
  { file: 'docker.log', what: 'docker json-file wrapper', formats: ['docker', 'zap-json'], counts: { lines: 6, events: 4, ordinary: 2, unknown: 0 }, kinds: ['leader-elected', 'heartbeat-failure', 'slow-apply'] },
  {
    file: 'kubectl-prefix.log',
    what: 'kubectl/oc logs --prefix --timestamps, two pods interleaved',
    formats: ['kubectl-prefix', 'timestamps', 'zap-json'],
    counts: { lines: 7, events: 3, ordinary: 4, unknown: 0 },
    kinds: ['slow-fdatasync', 'leader-elected', 'leader-elected'],
  },
  {
    file: 'journald.log',
    what: 'journalctl short, short-iso and older spaced -o json',
    formats: ['journald', 'text', 'zap-json', 'journald-json'],
    counts: { lines: 7, events: 5, ordinary: 2, unknown: 0 },
    kinds: ['heartbeat-failure', 'slow-apply', 'peer-inactive', 'peer-unhealthy', 'slow-fdatasync'],
  },
  { file: 'unknown-format.log', what: 'kube-apiserver klog lines given by mistake', formats: [], counts: { lines: 5, events: 0, ordinary: 0, unknown: 5 }, kinds: [] },
];

describe('every format, every line accounted for', () => {
  it.each(CASES)('$file: $what', ({ file, formats, counts, member, kinds }) => {
    const { events, counters } = parseFixture(file);
    expect([...counters.formats]).toEqual(formats);
    expect({ lines: counters.lines, events: counters.events, ordinary: counters.ordinary, unknown: counters.unknown }).toEqual(counts);
    expect(counters.events + counters.ordinary + counters.unknown).toBe(counters.lines);
    expect(events.map((e) => e.kind)).toEqual(kinds);
    // The local member: the log's own startup line, else the journald host.
    if (member) expect(new Set(events.map((e) => e.member))).toEqual(new Set([member]));
  });
});

describe('timestamps', () => {
  it('reads a +0800 zone, epoch seconds, and capnslog local time as UTC', () => {
    expect(parseFixture('zap-3.5-network.log').counters.firstTs).toBe(Date.parse('2024-06-10T00:00:00.101Z'));
    expect(parseFixture('zap-production.log').events[0]?.ts).toBe('2024-06-04T08:00:12.860Z');
    expect(parseFixture('capnslog-2.3.log').counters.firstTs).toBe(Date.parse('2016-11-03T09:12:40.118Z'));
  });

  it('puts a time of day on the date of the line before it, across midnight, and counts a line with no time as undated', () => {
    const { events, counters } = parseFixture('zap-custom-keys.log');
    expect(events.map((e) => e.ts)).toEqual(['2024-06-04T08:00:17.860Z', '2024-06-04T23:59:59.512Z', '2024-06-05T00:00:03.100Z']);
    expect(counters.undated).toBe(1);
  });

  it('takes journald short times in the given year, and json times from __REALTIME_TIMESTAMP', () => {
    expect(parseFixture('journald-3.0.log', { year: 2017 }).events[0]?.ts).toBe('2017-01-24T10:35:01.000Z');
    // The capnslog records have no time of their own: the journal's receive time is theirs.
    expect(parseFixture('journald-json-pretty.log').events[0]?.ts).toBe(new Date(1796217729921230 / 1000).toISOString());
  });
});

describe('levels', () => {
  it('maps journald PRIORITY onto bare capnslog text, and custom severity names onto etcd levels', () => {
    const pretty = parseFixture('journald-json-pretty.log').events;
    expect(pretty.find((e) => e.kind === 'peer-inactive')?.level).toBe('error'); // PRIORITY 3: capnslog's E
    expect(pretty.find((e) => e.kind === 'peer-connection-lost')?.level).toBe('warn'); // PRIORITY 4
    expect(parseFixture('zap-custom-keys.log').events[0]?.level).toBe('warn'); // severity WARNING
  });

  it('never makes an event of grpc-go\'s own error lines', () => {
    const cri = parseFixture('cri.log');
    expect(cri.events.some((e) => e.kind === 'error')).toBe(false);
  });
});

describe('unknown lines', () => {
  it('keeps the first one as an example, cut short and without escapes or control characters', () => {
    const { counters } = parseFixture('unknown-format.log');
    expect(counters.unknownExample).toBe('I0604 08:00:00.123456       1 controller.go:615] quota admission added evaluator for: leases.coordination.k8s.io');
    expect(cleanExample('\u001b[31mstatusCode=500\u001b[0m\tresp=500\u0000\u0007')).toBe('statusCode=500 resp=500');
    expect(cleanExample('x'.repeat(1000))).toHaveLength(201);
  });
});
