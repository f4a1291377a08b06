import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BATCH_LABEL } from '../src/sources/prometheus/index.ts';

/**
 * A loopback Prometheus HTTP API that answers the first range query of a collection with a body
 * of about `bytes` bytes, written as it is generated (the server never holds it), and every
 * other query with a small answer. Two shapes:
 * - `stale`: a store that ignores start, end and step and sends days of 1 s samples per series,
 *   of which only the asked window is current (the 200 MB answer, its false "quorum lost");
 * - `wide`: tens of thousands of series on the step grid for the metrics of that first query,
 *   in every query that asks for them: past the per-query and per-collection limits.
 */
export type AnswerShape = 'stale' | 'wide';

const MEMBERS = ['etcd-0', 'etcd-1', 'etcd-2'];

function ids(query: string): string[] {
  return [...query.matchAll(new RegExp(`"${BATCH_LABEL}", "(\\w+)"`, 'g'))].map((m) => m[1] as string);
}

/** Writes the body in ~1 MB pieces, waiting for the socket to drain, so memory stays flat. */
async function stream(res: ServerResponse, head: string, series: Array<{ metric: Record<string, string>; from: number; to: number; step: number }>, tail: string): Promise<number> {
  res.writeHead(200, { 'content-type': 'application/json' });
  let buf = head;
  let written = 0;
  let closed = false;
  res.on('close', () => (closed = true));
  const flush = async (): Promise<void> => {
    written += Buffer.byteLength(buf);
    if (!closed && !res.write(buf)) {
      await new Promise<void>((r) => {
        const go = (): void => {
          res.off('drain', go);
          res.off('close', go);
          r();
        };
        res.on('drain', go);
        res.on('close', go);
      });
    }
    buf = '';
  };
  for (let i = 0; i < series.length; i++) {
    const s = series[i] as (typeof series)[number];
    buf += `${i ? ',' : ''}{"metric":${JSON.stringify(s.metric)},"values":[`;
    let first = true;
    const n = Math.floor((s.to - s.from) / s.step);
    for (let k = 0; k <= n && !closed; k++) {
      const t = Math.round((s.from + k * s.step) * 1000) / 1000;
      buf += `${first ? '' : ','}[${t},"${(0.001 + (k % 97) / 1e5).toFixed(6)}"]`;
      first = false;
      if (buf.length > 1 << 20) await flush();
    }
    buf += ']}';
  }
  buf += tail;
  await flush();
  res.end();
  return written;
}

export async function startLargeAnswerServer(shape: AnswerShape, bytes: number): Promise<{ url: string; largeBytesSent(): number; close(): Promise<void> }> {
  let served = false;
  let largeBytes = 0;
  const heavy = new Set<string>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const p = new URLSearchParams(body);
      const metrics = ids(p.get('query') ?? '');
      const end = Number(p.get('end') ?? p.get('time'));
      const start = Number(p.get('start') ?? end);
      const step = Number(p.get('step') ?? 15);
      const labels = (id: string, pod: string): Record<string, string> => ({ [BATCH_LABEL]: id, pod });
      if (!p.has('step')) {
        // Instant queries (and member-label detection): one sample per member.
        const result = (metrics.length ? metrics : ['up']).flatMap((id) => MEMBERS.map((pod) => ({ metric: id === 'up' ? { pod, job: 'etcd' } : labels(id, pod), value: [end, '1'] })));
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
      }
      const head = '{"status":"success","data":{"resultType":"matrix","result":[';
      const tail = ']}}';
      const onGrid = (metric: Record<string, string>): { metric: Record<string, string>; from: number; to: number; step: number } => ({ metric, from: start, to: end, step });
      if (!served) {
        served = true;
        for (const id of metrics) heavy.add(id);
        if (shape === 'stale') {
          const series = metrics.flatMap((id) => MEMBERS.map((pod) => labels(id, pod)));
          // ~24 bytes per sample ("[1699918400,"0.001230"],"): size the answer to `bytes`.
          const perSeries = Math.floor(bytes / 24 / series.length);
          return void stream(res, head, series.map((metric) => ({ metric, from: end - perSeries, to: end, step: 1 })), tail).then((n) => (largeBytes = n));
        }
      }
      if (shape === 'wide' && metrics.some((id) => heavy.has(id))) {
        // ~1.7 kB per series of 61 points: a metric's share of `bytes`.
        const perMetric = Math.floor(bytes / 1700 / heavy.size);
        const series = metrics.flatMap((id) => (heavy.has(id) ? Array.from({ length: perMetric }, (_, k) => labels(id, `etcd-${k}`)) : MEMBERS.map((pod) => labels(id, pod))));
        return void stream(res, head, series.map(onGrid), tail).then((n) => (largeBytes += n));
      }
      void stream(res, head, metrics.flatMap((id) => MEMBERS.map((pod) => onGrid(labels(id, pod)))), tail);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    largeBytesSent: () => largeBytes,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
