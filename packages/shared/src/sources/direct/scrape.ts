import { request, type Dispatcher } from 'undici';
import { SourceError } from '../../errors/index.ts';
import { describeTransportFailure, discard, formatMs, redactUrl, splitCredentials } from '../http/index.ts';
import { createExpositionParser, ExpositionError, type Exposition } from './parse-exposition.ts';

export interface DirectTarget {
  /** Member name (member scope) or node name (node scope). */
  readonly entity: string;
  readonly url: string;
  readonly scope: 'member' | 'node';
}

export type ScrapeFailureKind = 'unreachable' | 'timeout' | 'tls' | 'http' | 'auth' | 'malformed' | 'no-data';

/** A failed scrape; the message names the URL (credentials redacted) and the reason. */
export class ScrapeError extends SourceError {
  override name = 'ScrapeError';
  readonly kind: ScrapeFailureKind;
  constructor(kind: ScrapeFailureKind, message: string, entity: string) {
    super('direct', message, { entity, kind });
    this.kind = kind;
  }
}

/** etcd serves ~0.2-1 MB and node_exporter ~0.1-2 MB; a body past this is not a /metrics page. */
export const MAX_SCRAPE_BYTES = 64 * 1024 * 1024;

export interface ScrapeOptions {
  readonly timeoutMs: number;
  /** Sample names to keep; the rest is parsed (checked) and dropped. */
  readonly keep?: (name: string) => boolean;
}

/** What a target serves when it is not what it was given as, to say so in the problem. */
function looksLike(names: ReadonlySet<string>): string {
  let etcd = 0;
  let node = 0;
  let prom = 0;
  for (const n of names) {
    if (n.startsWith('etcd_')) etcd++;
    else if (n.startsWith('node_')) node++;
    else if (n.startsWith('prometheus_')) prom++;
  }
  if (node > 0) return `it serves node_exporter metrics: give it with --node-exporter`;
  if (etcd > 0) return `it serves etcd metrics: give it with --direct`;
  if (prom > 0) return `it serves Prometheus' own metrics: give Prometheus with --prometheus`;
  return `it serves ${names.size} other metric names`;
}

async function readBody(res: Dispatcher.ResponseData, where: string, target: DirectTarget, opts: ScrapeOptions): Promise<Exposition> {
  const type = res.headers['content-type'];
  const contentType = typeof type === 'string' ? `; content-type ${type.split(';')[0]}` : '';
  const parser = createExpositionParser(opts.keep ? { keep: opts.keep } : {});
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      if (bytes > MAX_SCRAPE_BYTES) {
        discard(res.body);
        throw new ScrapeError('malformed', `${where}: the body is larger than ${MAX_SCRAPE_BYTES / 1024 / 1024} MiB: not a /metrics page`, target.entity);
      }
      parser.push(decoder.decode(chunk, { stream: true }));
    }
    parser.push(decoder.decode());
    return parser.end();
  } catch (e) {
    if (e instanceof ScrapeError) throw e;
    discard(res.body);
    if (e instanceof ExpositionError) {
      throw new ScrapeError('malformed', `${where}: ${e.truncated ? 'incomplete answer' : 'not the Prometheus text format'} (${e.message}${contentType})`, target.entity);
    }
    if (e instanceof TypeError && (e as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw new ScrapeError('malformed', `${where}: not the Prometheus text format (binary data: not UTF-8 text${contentType})`, target.entity);
    }
    const f = describeTransportFailure(e, opts.timeoutMs);
    const why = f.kind === 'timeout' ? `the body stalled: no complete answer within ${formatMs(opts.timeoutMs)} (${bytes} bytes received)` : `the body broke off after ${bytes} bytes: ${f.reason}`;
    throw new ScrapeError(f.kind, `${where}: ${why}`, target.entity);
  }
}

/**
 * One GET of a /metrics endpoint, parsed as it arrives. Every failure is a ScrapeError naming the
 * URL and the reason: transport, HTTP status, a body that is not (complete) exposition text, or
 * a target that answers without the metrics it was given for (a member without etcd_* series).
 */
export async function scrape(target: DirectTarget, opts: ScrapeOptions): Promise<Exposition> {
  const where = redactUrl(target.url);
  const { url, authorization } = splitCredentials(target.url);
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, {
      method: 'GET',
      headers: { accept: 'text/plain;version=0.0.4', ...(authorization ? { authorization } : {}) },
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (e) {
    const f = describeTransportFailure(e, opts.timeoutMs);
    throw new ScrapeError(f.kind, `${where}: ${f.reason}`, target.entity);
  }
  if (res.statusCode !== 200) {
    discard(res.body);
    if (res.statusCode === 401 || res.statusCode === 403) throw new ScrapeError('auth', `${where}: HTTP ${res.statusCode}: the endpoint wants credentials or a client certificate`, target.entity);
    throw new ScrapeError('http', `${where}: HTTP ${res.statusCode}${res.statusCode === 404 ? ' (no /metrics at that path: etcd serves it on the client port and on --listen-metrics-urls)' : ''}`, target.entity);
  }
  const exposition = await readBody(res, where, target, opts);
  const prefix = target.scope === 'member' ? 'etcd_' : 'node_';
  let found = false;
  for (const n of exposition.names) {
    if (!n.startsWith(prefix)) continue;
    found = true;
    break;
  }
  if (!found) {
    const what = target.scope === 'member' ? 'etcd' : 'node_exporter';
    throw new ScrapeError('no-data', `no ${what} metrics at ${where} (${looksLike(exposition.names)})`, target.entity);
  }
  return exposition;
}
