import { readFileSync } from 'node:fs';
import { Agent, request, type Dispatcher } from 'undici';
import { SourceError } from '../../errors/index.ts';
import { describeTransportFailure, discard, formatMs, redactUrl, splitCredentials } from '../http/index.ts';
import { AnswerEnvelopeSchema, MalformedAnswerError, type PromSeries } from './answer.ts';
import { AnswerReader, type AnswerLimits } from './answer-reader.ts';
import { JsonSyntaxError } from './json-tokenizer.ts';

/**
 * A query's series and the warnings Prometheus or Thanos sent with them: a warning means the
 * answer may be partial (a store or a shard did not answer), so the data cannot prove health.
 */
export interface PromResult {
  readonly series: PromSeries[];
  readonly warnings: readonly string[];
  /** Samples outside the asked window, dropped (a server that does not honour start/end). */
  readonly outside: number;
  /** Samples beyond one per step in a series, merged (a server that does not honour step). */
  readonly offGrid: number;
  /** Set when the answer passed a limit and the rest was not read. */
  readonly capped?: { readonly what: 'series' | 'points' | 'bytes'; readonly limit: number };
}

export type PromErrorKind = 'unreachable' | 'http' | 'promql' | 'malformed' | 'timeout' | 'auth' | 'tls';

/** A failed Prometheus request; `kind` tells retryable transport faults from query errors. */
export class PrometheusError extends SourceError {
  override name = 'PrometheusError';
  readonly kind: PromErrorKind;
  constructor(kind: PromErrorKind, message: string, options?: ErrorOptions) {
    super('prometheus', message, { kind }, options);
    this.kind = kind;
  }
}

/**
 * Per query. Prometheus itself refuses more than 11 000 points per series; our default step
 * gives ~300, so a million points is ~3 300 series at the default step (a batch of node metrics
 * of a 400-node cluster) and ~60 MB of samples; a batch past it is split per metric.
 */
export const QUERY_LIMITS: AnswerLimits & { readonly maxBytes: number } = { maxSeries: 10_000, maxPoints: 1_000_000, maxBytes: 1024 * 1024 * 1024 };

export interface PrometheusClientOptions {
  readonly url: string;
  /** Bearer token (e.g. `oc whoami -t`); never logged or echoed. */
  readonly token?: string;
  readonly caFile?: string;
  readonly insecureSkipVerify?: boolean;
  readonly timeoutMs?: number;
  /** Extra attempts after a transport failure or a 5xx/429 answer. */
  readonly retries?: number;
  readonly limits?: Partial<typeof QUERY_LIMITS>;
}

/** Per call: a caller with a budget of its own (a collection's points) may ask for less. */
export interface QueryOptions {
  readonly maxPoints?: number;
}

export interface PrometheusClient {
  query(expr: string, time: number, opts?: QueryOptions): Promise<PromResult>;
  queryRange(expr: string, start: number, end: number, stepSeconds: number, opts?: QueryOptions): Promise<PromResult>;
  /** HTTP requests sent so far, retries included. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Timestamps are on the step grid or at the query time; half a second absorbs float formatting. */
const WINDOW_SLACK = 0.5;

/** The first bytes of a body that is not JSON, printable, or a note that it is binary. */
function excerpt(head: Buffer): string {
  const text = head.toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) return `binary data, ${head.length}+ bytes`;
  return text.slice(0, 120).replace(/\s+/g, ' ');
}

export function createPrometheusClient(opts: PrometheusClientOptions): PrometheusClient {
  let base: URL;
  try {
    base = new URL(opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
  } catch {
    throw new PrometheusError('unreachable', `invalid URL "${redactUrl(opts.url)}"`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new PrometheusError('unreachable', `URL must be http(s): "${redactUrl(opts.url)}"`);
  const { url: plain, authorization } = splitCredentials(base.toString());
  base = new URL(plain);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retries = opts.retries ?? 2;
  const clientLimits = { ...QUERY_LIMITS, ...opts.limits };
  const dispatcher: Dispatcher = new Agent({
    connections: 16,
    connect: {
      ...(opts.caFile ? { ca: readFileSync(opts.caFile) } : {}),
      ...(opts.insecureSkipVerify ? { rejectUnauthorized: false } : {}),
    },
  });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  else if (authorization) headers.authorization = authorization;
  const where = `${base.origin}${base.pathname}`;
  let requests = 0;

  async function read(res: Dispatcher.ResponseData, path: string, from: number, to: number, step: number | undefined, q: QueryOptions): Promise<PromResult> {
    const limits = q.maxPoints !== undefined && q.maxPoints < clientLimits.maxPoints ? { ...clientLimits, maxPoints: Math.max(0, q.maxPoints) } : clientLimits;
    const reader = new AnswerReader({ from: from - WINDOW_SLACK, to: to + WINDOW_SLACK, ...(step ? { grid: { start: from, step } } : {}) }, limits);
    const head: Buffer[] = [];
    let headBytes = 0;
    let bytes = 0;
    let cappedBytes = false;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (headBytes < 160) {
          head.push(chunk.subarray(0, 160 - headBytes));
          headBytes += Math.min(chunk.length, 160 - headBytes);
        }
        if (bytes > limits.maxBytes) {
          cappedBytes = true;
          break;
        }
        if (!reader.write(chunk)) break;
      }
    } catch (e) {
      if (e instanceof JsonSyntaxError) {
        throw new PrometheusError(res.statusCode >= 400 ? 'http' : 'malformed', `HTTP ${res.statusCode} from ${where}${path}: answer is not JSON (${excerpt(Buffer.concat(head))})`);
      }
      if (e instanceof MalformedAnswerError) throw new PrometheusError('malformed', `answer from ${where}${path} is not a Prometheus API response: ${e.message}`);
      const f = describeTransportFailure(e, timeoutMs);
      const why = f.kind === 'timeout' ? `the answer stalled after ${bytes} bytes: no complete answer within ${formatMs(timeoutMs)}` : `the answer broke off after ${bytes} bytes: ${f.reason}`;
      throw new PrometheusError(f.kind, `${where}${path}: ${why}`, { cause: e });
    } finally {
      // Stopped early at a limit, or failed: the rest is not wanted.
      discard(res.body);
    }
    let answer;
    try {
      answer = reader.end();
    } catch (e) {
      if (e instanceof JsonSyntaxError) throw new PrometheusError(res.statusCode >= 400 ? 'http' : 'malformed', `HTTP ${res.statusCode} from ${where}${path}: answer is not JSON (${excerpt(Buffer.concat(head))})`);
      throw e;
    }
    const parsed = AnswerEnvelopeSchema.safeParse(answer.envelope);
    if (!parsed.success) {
      if (res.statusCode >= 400) throw new PrometheusError('http', `HTTP ${res.statusCode} from ${where}${path}`);
      throw new PrometheusError('malformed', `answer from ${where}${path} is not a Prometheus API response: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    }
    const envelope = parsed.data;
    if (envelope.status === 'error') {
      // bad_data/execution errors are the query's fault; retrying cannot help.
      const kind: PromErrorKind = res.statusCode >= 500 && envelope.errorType !== 'execution' ? 'http' : 'promql';
      throw new PrometheusError(kind, `${envelope.errorType}: ${envelope.error}`);
    }
    const capped = cappedBytes ? { what: 'bytes' as const, limit: limits.maxBytes } : answer.capped ? { what: answer.capped, limit: answer.capped === 'series' ? limits.maxSeries : limits.maxPoints } : undefined;
    return { series: answer.series, warnings: envelope.warnings, outside: answer.outside, offGrid: answer.offGrid, ...(capped ? { capped } : {}) };
  }

  async function once(path: string, params: Record<string, string>, from: number, to: number, step: number | undefined, q: QueryOptions): Promise<PromResult> {
    requests += 1;
    let res: Dispatcher.ResponseData;
    try {
      res = await request(new URL(path, base), {
        method: 'POST',
        headers,
        body: new URLSearchParams(params).toString(),
        dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const f = describeTransportFailure(e, timeoutMs);
      throw new PrometheusError(f.kind, `${where}: ${f.reason}`, { cause: e });
    }
    if (res.statusCode === 401 || res.statusCode === 403) {
      discard(res.body);
      throw new PrometheusError('auth', `HTTP ${res.statusCode} from ${where}: check the bearer token and its permissions`);
    }
    return read(res, path, from, to, step, q);
  }

  async function withRetries(path: string, params: Record<string, string>, from: number, to: number, step: number | undefined, q: QueryOptions = {}): Promise<PromResult> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(path, params, from, to, step, q);
      } catch (e) {
        const err = e as PrometheusError;
        const retryable = err.kind === 'unreachable' || err.kind === 'timeout' || err.kind === 'http';
        if (!retryable || attempt >= retries) {
          if (attempt === 0) throw err;
          // Say what the wait cost: a 30 s timeout retried twice is 90 s, not 30.
          throw new PrometheusError(err.kind, `${err.message.replace(/^prometheus: /, '')} (${attempt + 1} attempts, ${formatMs(performance.now() - started)} in all)`, { cause: err });
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }

  return {
    query: (expr, time, q) => withRetries('api/v1/query', { query: expr, time: String(time) }, time, time, undefined, q),
    queryRange: (expr, start, end, step, q) => withRetries('api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) }, start, end, step, q),
    get requests() {
      return requests;
    },
    close: () => dispatcher.close(),
  };
}
