import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExpositionParser, ExpositionError, parseExposition } from './parse-exposition.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Expected values straight from the text, by regular expression (never from the parser). */
function raw(text: string, name: string, labelPart = ''): number[] {
  const re = new RegExp(`^${name}${labelPart ? `\\{${labelPart}\\}` : ''} (\\S+)$`, 'gm');
  return [...text.matchAll(re)].map((m) => Number(m[1]));
}
const peersOf = (text: string): string[] => [...new Set([...text.matchAll(/^etcd_network_peer_round_trip_time_seconds_count\{To="(\w+)"\}/gm)].map((m) => m[1] as string))];

function failure(text: string): ExpositionError {
  try {
    parseExposition(text);
  } catch (e) {
    if (e instanceof ExpositionError) return e;
    throw e;
  }
  throw new Error('expected an ExpositionError');
}

describe('parseExposition on etcd as it serves /metrics', () => {
  for (const [file, peers] of [['etcd-3.4.23-member-of-3.txt', 2], ['etcd-3.5-built.txt', 4], ['etcd-3.6-built.txt', 2]] as const) {
    it(`keeps every peer's round-trip histogram apart, with its _sum and _count (${file})`, () => {
      const text = fixture(file);
      const e = parseExposition(text);
      const to = peersOf(text);
      expect(to).toHaveLength(peers);
      const buckets = e.samples.get('etcd_network_peer_round_trip_time_seconds_bucket') ?? [];
      for (const peer of to) {
        const mine = buckets.filter((s) => s.labels.To === peer);
        expect(mine.map((s) => s.value)).toEqual(raw(text, 'etcd_network_peer_round_trip_time_seconds_bucket', `To="${peer}",le="[^"]+"`));
        expect(mine.at(-1)?.labels.le).toBe('+Inf');
        expect(e.samples.get('etcd_network_peer_round_trip_time_seconds_sum')?.find((s) => s.labels.To === peer)?.value).toBe(raw(text, 'etcd_network_peer_round_trip_time_seconds_sum', `To="${peer}"`)[0]);
        expect(e.samples.get('etcd_network_peer_round_trip_time_seconds_count')?.find((s) => s.labels.To === peer)?.value).toBe(raw(text, 'etcd_network_peer_round_trip_time_seconds_count', `To="${peer}"`)[0]);
      }
      expect(e.duplicates).toBe(0);
      expect(e.seriesCount).toBe(text.split('\n').filter((l) => l && !l.startsWith('#')).length);
    });
  }

  it('reads Go float spellings, summaries and labels of a 3.5 member with an inactive peer', () => {
    const e = parseExposition(fixture('etcd-3.5-built.txt'));
    expect(e.samples.get('etcd_network_client_grpc_received_bytes_total')?.[0]?.value).toBe(166213388009);
    expect(e.samples.get('etcd_server_quota_backend_bytes')?.[0]?.value).toBe(8589934592);
    expect(e.samples.get('etcd_network_active_peers')?.map((s) => s.value)).toEqual([0, 1, 1, 1]);
    expect(e.samples.get('go_gc_duration_seconds')?.map((s) => s.labels.quantile)).toEqual(['0', '0.25', '0.5', '0.75', '1']);
    expect(e.samples.get('go_gc_duration_seconds')?.[0]?.value).toBe(3.1082e-5);
    expect(e.samples.get('etcd_cluster_version')?.[0]?.labels).toEqual({ cluster_version: '3.5' });
  });

  it('keeps 3.6 families with several labels apart (feature gates, known peers)', () => {
    const e = parseExposition(fixture('etcd-3.6-built.txt'));
    expect(e.samples.get('etcd_server_feature_enabled')?.find((s) => s.labels.name === 'TxnModeWriteWithSharedBuffer')).toEqual({ labels: { name: 'TxnModeWriteWithSharedBuffer', stage: 'BETA' }, value: 1 });
    expect(e.samples.get('etcd_network_known_peers')).toHaveLength(3);
    expect(e.names.has('etcd_disk_defrag_inflight')).toBe(false);
  });

  it('keeps only the names asked for, but checks and counts every line', () => {
    const text = fixture('etcd-3.4.23-member-of-3.txt');
    const e = parseExposition(text, { keep: (n) => n === 'etcd_server_has_leader' });
    expect([...e.samples.keys()]).toEqual(['etcd_server_has_leader']);
    expect(e.names.has('go_goroutines')).toBe(true);
  });

  it('gives the same result whatever the chunks the body arrives in', () => {
    const text = fixture('etcd-3.5-built.txt');
    const p = createExpositionParser();
    for (let i = 0; i < text.length; i += 7) p.push(text.slice(i, i + 7));
    const chunked = p.end();
    const whole = parseExposition(text);
    expect([...chunked.samples.entries()]).toEqual([...whole.samples.entries()]);
  });
});

describe('parseExposition: the text format in full', () => {
  it('unescapes label values, reads NaN and ±Inf, and ignores timestamps, comments and exemplars', () => {
    const e = parseExposition(
      [
        '# a free comment',
        '# HELP x_total A counter with a \\\\ and a \\n in its help.',
        '# TYPE x_total counter',
        'x_total{path="C:\\\\etcd\\"data\\"",note="two\\nlines",} 3 1700000000000',
        '  x_total{path="plain"} 4 # {trace_id="abc"} 1.0 1700000000.5',
        'y NaN',
        'z{a="b"} +Inf',
        'w -Inf',
        '',
      ].join('\n'),
    );
    expect(e.samples.get('x_total')).toEqual([
      { labels: { path: 'C:\\etcd"data"', note: 'two\nlines' }, value: 3 },
      { labels: { path: 'plain' }, value: 4 },
    ]);
    expect(e.samples.get('y')?.[0]?.value).toBeNaN();
    expect(e.samples.get('z')?.[0]?.value).toBe(Infinity);
    expect(e.samples.get('w')?.[0]?.value).toBe(-Infinity);
  });

  it('names the line of a syntax error', () => {
    expect(failure('ok 1\nbad{a="b} 1\n').message).toMatch(/^line 2: unterminated value of label a of bad/);
    expect(failure('ok 1\nbad{a="\\t"} 1\n').message).toMatch(/^line 2: invalid escape/);
    expect(failure('bad one\n').message).toMatch(/^line 1: invalid value "one" for bad/);
    expect(failure('# TYPE x flavour\n').message).toMatch(/^line 1: invalid metric type "flavour" for x/);
    expect(failure('x 1 12.5\n').message).toMatch(/invalid timestamp/);
  });

  it('counts series served twice and keeps the first value', () => {
    const e = parseExposition('a{x="1"} 1\na{x="2"} 2\na{x="1"} 3\n');
    expect(e.duplicates).toBe(1);
    expect(e.duplicateExample).toBe('a{x="1"}');
    expect(e.samples.get('a')?.map((s) => s.value)).toEqual([1, 2]);
  });
});

describe('parseExposition: bodies that are not whole', () => {
  const text = fixture('etcd-3.4.23-member-of-3.txt');

  it('fails a body cut in the middle of a line', () => {
    const e = failure(text.slice(0, Math.floor(text.length / 3)));
    expect(e.truncated).toBe(true);
    expect(e.message).toMatch(/truncated: the body ends in the middle of line \d+/);
  });

  it('fails a body cut at a line boundary inside a histogram, before its +Inf bucket or its _count', () => {
    const beforeInf = text.indexOf('etcd_network_peer_round_trip_time_seconds_bucket{To=', text.indexOf('le="0.0512"}', text.indexOf('etcd_network_peer_round_trip_time_seconds_bucket')));
    const cut1 = text.slice(0, text.indexOf('\n', beforeInf) + 1);
    expect(failure(cut1).message).toMatch(/truncated: the last family etcd_network_peer_round_trip_time_seconds\{To="\w+"\} ends without its \+Inf bucket/);
    const sum = text.indexOf('etcd_network_peer_round_trip_time_seconds_sum{');
    expect(failure(text.slice(0, sum)).message).toMatch(/ends without its _count/);
  });

  it('fails an empty body, and reports binary data without echoing it', () => {
    expect(failure('').message).toBe('empty body');
    const e = failure(`etcd_up 1\n\u0000\u0001\u00ff secret-looking bytes\n`);
    expect(e.message).toBe('binary data (control byte 0x00 on line 2)');
  });
});
