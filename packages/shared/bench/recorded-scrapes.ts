import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * Replays recorded /metrics texts for as many rounds as a benchmark wants: two real scrapes of
 * each target, 5 s apart, and every later round moves each sample on by the step between them
 * (counters and histogram buckets keep growing at their recorded rate, so buckets stay
 * cumulative; a value that fell is left to alternate). The text of a round is built when it is
 * scraped, so the benchmark holds two texts per target, not hundreds.
 */
export interface RecordedTarget {
  readonly name: string;
  readonly scope: 'member' | 'node';
  /** The exposition text of round `i` (0-based). */
  text(i: number): string;
}

const SAMPLE = /^([^#\s][^ ]*(?:\{.*\})?) (\S+)$/;

function load(file: string): string[] {
  return gunzipSync(readFileSync(new URL(`./recorded/${file}`, import.meta.url))).toString('utf8').split('\n');
}

function replay(name: string, scope: 'member' | 'node', first: string, second: string): RecordedTarget {
  const a = load(first);
  const b = load(second);
  const later = new Map<string, number>();
  for (const line of b) {
    const m = SAMPLE.exec(line);
    if (m) later.set(m[1] as string, Number(m[2]));
  }
  // Per line: the fixed text, or the series and its value at round 0 and the step per round.
  const parts = a.map((line) => {
    const m = SAMPLE.exec(line);
    if (!m) return line;
    const v0 = Number(m[2]);
    const v1 = later.get(m[1] as string);
    if (!Number.isFinite(v0) || v1 === undefined || !Number.isFinite(v1)) return line;
    return { series: m[1] as string, v0, step: v1 - v0 };
  });
  return {
    name,
    scope,
    text: (i) =>
      parts
        .map((p) => {
          if (typeof p === 'string') return p;
          const v = p.step >= 0 ? p.v0 + i * p.step : i % 2 ? p.v0 + p.step : p.v0;
          return `${p.series} ${Number(v.toPrecision(12))}`;
        })
        .join('\n'),
  };
}

/** Three etcd 3.4.23 members of one cluster under a write load, and node_exporter 1.5.0. */
export function recordedLab(): RecordedTarget[] {
  return [
    ...[0, 1, 2].map((i) => replay(`etcd-${i}`, 'member', `etcd-m${i}-r0.txt.gz`, `etcd-m${i}-r1.txt.gz`)),
    replay('node-0', 'node', 'node-r0.txt.gz', 'node-r1.txt.gz'),
  ];
}
