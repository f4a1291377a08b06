import { readFileSync } from 'node:fs';
import { Agent, request, type Dispatcher } from 'undici';
import { SourceError } from '../../errors/index.ts';
import { MalformedSampleError, PromAnswerSchema, toSeries, type PromSeries } from './answer.ts';

/**
 * A query's series and the warnings Prometheus or Thanos sent with them: a warning means the
 * answer may be partial (a store or a shard did not answer), so the data cannot prove health.
 */
export interface PromResult {
  readonly series: PromSeries[];
  readonly warnings: readonly string[];
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

export interface PrometheusClientOptions {
  readonly url: string;
  /** Bearer token (e.g. `oc whoami -t`); never logged or echoed. */
  readonly token?: string;
  readonly caFile?: string;
  readonly insecureSkipVerify?: boolean;
  readonly timeoutMs?: number;
  /** Extra attempts after a transport failure or a 5xx/429 answer. */
  readonly retries?: number;
}

export interface PrometheusClient {
  query(expr: string, time: number): Promise<PromResult>;
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<PromResult>;
  /** HTTP requests sent so far, retries included. */
  readonly requests: number;
  close(): Promise<void>;
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

function classify(e: unknown, timeoutMs: number): PrometheusError {
  if (e instanceof PrometheusError) return e;
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const msg = err.cause?.message ?? err.message ?? String(e);
  if (/Timeout|ABORT/i.test(code) || /timeout/i.test(msg)) return new PrometheusError('timeout', `no answer within ${timeoutMs} ms`, { cause: e });
  if (TLS_CODES.test(code) || TLS_CODES.test(msg)) return new PrometheusError('tls', `TLS failure: ${msg}`, { cause: e });
  return new PrometheusError('unreachable', `cannot connect (${code || msg})`, { cause: e });
}

export function createPrometheusClient(opts: PrometheusClientOptions): PrometheusClient {
  let base: URL;
  try {
    base = new URL(opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
  } catch {
    throw new PrometheusError('unreachable', `invalid URL "${opts.url}"`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new PrometheusError('unreachable', `URL must be http(s): "${opts.url}"`);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retries = opts.retries ?? 2;
  const dispatcher: Dispatcher = new Agent({
    connections: 16,
    connect: {
      ...(opts.caFile ? { ca: readFileSync(opts.caFile) } : {}),
      ...(opts.insecureSkipVerify ? { rejectUnauthorized: false } : {}),
    },
  });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const where = `${base.origin}${base.pathname}`;
  let requests = 0;

  async function once(path: string, params: Record<string, string>): Promise<PromResult> {
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
      throw classify(e, timeoutMs);
    }
    const text = await res.body.text().catch((e: unknown) => {
      throw classify(e, timeoutMs);
    });
    if (res.statusCode === 401 || res.statusCode === 403) {
      throw new PrometheusError('auth', `HTTP ${res.statusCode} from ${where}: check the bearer token and its permissions`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const kind = res.statusCode >= 400 ? 'http' : 'malformed';
      throw new PrometheusError(kind, `HTTP ${res.statusCode} from ${where}${path}: answer is not JSON (${text.slice(0, 120).replace(/\s+/g, ' ')})`);
    }
    const parsed = PromAnswerSchema.safeParse(json);
    if (!parsed.success) {
      if (res.statusCode >= 400) throw new PrometheusError('http', `HTTP ${res.statusCode} from ${where}${path}`);
      throw new PrometheusError('malformed', `answer from ${where}${path} is not a Prometheus API response: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    }
    const answer = parsed.data;
    if (answer.status === 'error') {
      // bad_data/execution errors are the query's fault; retrying cannot help.
      const kind: PromErrorKind = res.statusCode >= 500 && answer.errorType !== 'execution' ? 'http' : 'promql';
      throw new PrometheusError(kind, `${answer.errorType}: ${answer.error}`);
    }
    try {
      return { series: toSeries(answer), warnings: answer.warnings ?? [] };
    } catch (e) {
      if (e instanceof MalformedSampleError) throw new PrometheusError('malformed', `answer from ${where}${path} is not a Prometheus API response: ${e.message}`);
      throw e;
    }
  }

  async function withRetries(path: string, params: Record<string, string>): Promise<PromResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(path, params);
      } catch (e) {
        const err = e as PrometheusError;
        const retryable = err.kind === 'unreachable' || err.kind === 'timeout' || err.kind === 'http';
        if (!retryable || attempt >= retries) throw err;
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }

  return {
    query: (expr, time) => withRetries('api/v1/query', { query: expr, time: String(time) }),
    queryRange: (expr, start, end, step) =>
      withRetries('api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) }),
    get requests() {
      return requests;
    },
    close: () => dispatcher.close(),
  };
}
