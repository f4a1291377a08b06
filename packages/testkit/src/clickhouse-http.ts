/**
 * A test-only ClickHouse server: ClickHouse's HTTP interface on loopback, answered by the chDB
 * engine (the real ClickHouse engine, in-process). No ClickHouse server can run here, so this is
 * how the store's URL path is proven: `@clickhouse/client` talks HTTP to it exactly as to a server
 * (query, insert, command, exec, ping).
 *
 * What it serves: GET/POST `/` with the query in the `query` parameter and/or the body (an insert's
 * rows follow its `INSERT ... FORMAT` after a newline), `param_<name>` parameters (bound by the
 * engine, never spliced into SQL), `database`, `default_format` or the query's FORMAT, any other
 * URL parameter as a setting, `/ping`, basic auth or X-ClickHouse-User/Key, per-user `readonly`,
 * GET as readonly = 2, gzip both ways (`enable_http_compression`), the X-ClickHouse-Query-Id /
 * -Summary / -Format / -Timezone headers, and ClickHouse's errors: the status its
 * exceptionCodeToHTTPStatus gives (403 auth, 400 syntax, 404 unknown table/database, 500 else),
 * `X-ClickHouse-Exception-Code`, and a `Code: N. DB::Exception: ... (TYPE) (version V)` body.
 *
 * Each request runs on its own chDB session (same data directory), so settings, parameters and
 * the current database never leak between requests, and requests run concurrently.
 * Not served: HTTP sessions (`session_id`), roles, multipart parameters, the Native format's
 * compression (`compress=1`), progress headers. chDB binds one data directory per process: run
 * the server in its own process (`startClickHouseHttp`) when the test process uses chDB itself;
 * several client processes may share one server (that is the multi-process scenario).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { Session } from 'chdb';

export interface ClickHouseHttpOptions {
  /** chDB data directory (created when missing). */
  readonly dataDir: string;
  /** Listen port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Users and passwords; default: `default` with an empty password. `readonly` users get readonly = 1. */
  readonly users?: Readonly<Record<string, { readonly password: string; readonly readonly?: boolean }>>;
}

export interface ClickHouseHttpServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Parameters that are the HTTP interface's own, not settings. */
const RESERVED = new Set(['query', 'database', 'default_format', 'query_id', 'user', 'password', 'quota_key', 'buffer_size', 'session_timeout', 'session_check']);
/** Settings the HTTP layer consumes (the embedded engine does not know them). */
const HTTP_LAYER = new Set(['enable_http_compression', 'http_zlib_compression_level', 'send_progress_in_http_headers', 'http_headers_progress_interval_ms', 'wait_end_of_query', 'http_wait_end_of_query', 'http_response_buffer_size', 'http_native_compression_disable_checksumming_on_decompress', 'cancel_http_readonly_queries_on_client_close', 'http_write_exception_in_output_format']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** exceptionCodeToHTTPStatus (ClickHouse src/Server/HTTP), by error name. */
const STATUS_BY_NAME: Record<string, number> = {
  REQUIRED_PASSWORD: 401,
  ...Object.fromEntries(['UNKNOWN_USER', 'WRONG_PASSWORD', 'AUTHENTICATION_FAILED', 'SET_NON_GRANTED_ROLE', 'ACCESS_DENIED'].map((n) => [n, 403])),
  ...Object.fromEntries(
    ['BAD_ARGUMENTS', 'CANNOT_COMPILE_REGEXP', 'CANNOT_PARSE_TEXT', 'CANNOT_PARSE_ESCAPE_SEQUENCE', 'CANNOT_PARSE_QUOTED_STRING', 'CANNOT_PARSE_DATE', 'CANNOT_PARSE_DATETIME', 'CANNOT_PARSE_NUMBER', 'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING', 'CANNOT_PARSE_IPV4', 'CANNOT_PARSE_IPV6', 'CANNOT_PARSE_INPUT_ASSERTION_FAILED', 'CANNOT_PARSE_UUID', 'DUPLICATE_COLUMN', 'ILLEGAL_COLUMN', 'UNKNOWN_ELEMENT_IN_AST', 'UNKNOWN_TYPE_OF_AST_NODE', 'THERE_IS_NO_COLUMN', 'TOO_DEEP_AST', 'TOO_BIG_AST', 'UNEXPECTED_AST_STRUCTURE', 'SYNTAX_ERROR', 'INCORRECT_DATA', 'TYPE_MISMATCH', 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'].map((n) => [n, 400]),
  ),
  ...Object.fromEntries(['UNKNOWN_TABLE', 'UNKNOWN_FUNCTION', 'UNKNOWN_IDENTIFIER', 'UNKNOWN_TYPE', 'UNKNOWN_STORAGE', 'UNKNOWN_DATABASE', 'UNKNOWN_SETTING', 'UNKNOWN_DIRECTION_OF_SORTING', 'UNKNOWN_AGGREGATE_FUNCTION', 'UNKNOWN_FORMAT', 'UNKNOWN_DATABASE_ENGINE', 'UNKNOWN_TYPE_OF_QUERY', 'UNKNOWN_ROLE'].map((n) => [n, 404])),
  QUERY_IS_TOO_LARGE: 413,
  NOT_IMPLEMENTED: 501,
  SOCKET_TIMEOUT: 503,
  CANNOT_OPEN_FILE: 503,
  CANNOT_SCHEDULE_TASK: 503,
  HTTP_LENGTH_REQUIRED: 411,
  TIMEOUT_EXCEEDED: 408,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

class HttpFailure extends Error {
  readonly codeName: string;
  constructor(codeName: string, message: string) {
    super(message);
    this.codeName = codeName;
  }
}

/** SQL string literal: the engine's lexer decodes it back to exactly `raw`. */
const literal = (raw: string): string => `'${raw.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const contentType = (format: string): string =>
  /^JSON/.test(format) ? 'application/json; charset=UTF-8' : /^(TabSeparated|TSV)/.test(format) ? 'text/tab-separated-values; charset=UTF-8' : /^CSV/.test(format) ? 'text/csv; charset=UTF-8' : 'application/octet-stream';

/** Rows in an insert's data for line-per-row formats (JSONEachRow, TSV, CSV...; header lines excluded). */
function sentRows(sql: string, data: string): number {
  const format = /\bFORMAT\s+(\w+)/i.exec(sql)?.[1] ?? '';
  if (!/^(JSON(Compact)?(Strings)?EachRow|TabSeparated|TSV|CSV)/i.test(format)) return 0;
  const headers = /WithNamesAndTypes$/i.test(format) ? 2 : /WithNames$/i.test(format) ? 1 : 0;
  return Math.max(0, data.split('\n').filter((l) => l.trim() !== '').length - headers);
}

/** Serves ClickHouse's HTTP interface from chDB in this process. */
export async function serveClickHouseHttp(opts: ClickHouseHttpOptions): Promise<ClickHouseHttpServer & { readonly stats: { ok: number; failed: number } }> {
  const users = opts.users ?? { default: { password: '' } };
  mkdirSync(opts.dataDir, { recursive: true });
  // Held open for the server's life: while one connection is open the engine stays up, so a
  // request's own session costs well under a millisecond instead of a reload of the data directory.
  const anchor = new Session(opts.dataDir);
  const version = anchor.query('SELECT version()', 'TabSeparated').trim();
  const codes = anchor.query('SELECT DISTINCT name, code FROM system.errors SETTINGS system_events_show_zero_values = 1', 'TabSeparated');
  const codeOf = new Map<string, number>();
  const nameOf = new Map<number, string>();
  for (const line of codes.trim().split('\n')) {
    const [name, code] = line.split('\t');
    if (!name || !code) continue;
    codeOf.set(name, Number(code));
    nameOf.set(Number(code), name);
  }
  const stats = { ok: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();

  const fail = (res: ServerResponse, queryId: string, code: number, text: string): void => {
    const name = nameOf.get(code) ?? 'UNKNOWN_EXCEPTION';
    let body = /^Code: \d+\. DB::Exception: /.test(text) ? text : `Code: ${code}. DB::Exception: ${text}. (${name})`;
    if (!/\(version [^)]*\)\s*$/.test(body)) body = `${body} (version ${version})`;
    stats.failed++;
    res.writeHead(STATUS_BY_NAME[name] ?? 500, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': String(code), 'X-ClickHouse-Query-Id': queryId, 'X-ClickHouse-Server-Display-Name': 'clickhouse-http (chDB)' });
    res.end(`${body}\n`);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.searchParams;
    const queryId = p.get('query_id') || randomUUID();
    if (url.pathname === '/ping') return void res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
    if (url.pathname !== '/') return fail(res, queryId, codeOf.get('UNKNOWN_TYPE_OF_QUERY') ?? 1002, `There is no handle ${url.pathname}`);
    // ClickHouse's static handler: GET / without a query is "Ok.", before any authentication.
    if ((req.method === 'GET' || req.method === 'HEAD') && !p.has('query')) return void res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body = Buffer.concat(chunks);
    try {
      const encoding = req.headers['content-encoding'];
      if (encoding === 'gzip') body = gunzipSync(body);
      else if (encoding === 'deflate') body = inflateSync(body);
      else if (encoding) throw new HttpFailure('UNKNOWN_COMPRESSION_METHOD', `Unknown HTTP Content-Encoding ${encoding}`);
      // Who is asking.
      let user = p.get('user') ?? 'default';
      let password = p.get('password') ?? '';
      const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
      if (basic?.[1]) {
        const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        [user, password] = i < 0 ? [decoded, ''] : [decoded.slice(0, i), decoded.slice(i + 1)];
      }
      if (typeof req.headers['x-clickhouse-user'] === 'string') user = req.headers['x-clickhouse-user'];
      if (typeof req.headers['x-clickhouse-key'] === 'string') password = req.headers['x-clickhouse-key'];
      const account = Object.hasOwn(users, user) ? users[user] : undefined;
      if (!account || account.password !== password) throw new HttpFailure('AUTHENTICATION_FAILED', `${user}: Authentication failed: password is incorrect, or there is no user with such name`);
      if (p.has('session_id')) throw new HttpFailure('NOT_IMPLEMENTED', 'HTTP sessions (session_id) are not served by this test server');
      if (p.has('role')) throw new HttpFailure('NOT_IMPLEMENTED', 'roles are not served by this test server');
      if (/^multipart\//.test(req.headers['content-type'] ?? '')) throw new HttpFailure('NOT_IMPLEMENTED', 'multipart parameters are not served by this test server');
      if (p.get('compress') === '1' || p.get('decompress') === '1') throw new HttpFailure('NOT_IMPLEMENTED', 'ClickHouse block compression (compress/decompress) is not served by this test server');
      // The query: URL `query`, then the body after a newline.
      const urlQuery = p.get('query') ?? '';
      const text = body.toString('utf8');
      const sql = req.method === 'GET' ? urlQuery : urlQuery && text ? `${urlQuery}\n${text}` : urlQuery || text;
      if (!sql.trim()) return void res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
      // Session state for this request only: database, settings, parameters; readonly as ClickHouse orders it.
      const pre: string[] = [];
      const database = p.get('database');
      if (database) pre.push(`USE ${NAME.test(database) ? database : `\`${database.replace(/`/g, '``')}\``}`);
      let urlReadonly: string | undefined;
      for (const [k, v] of p) {
        if (RESERVED.has(k) || HTTP_LAYER.has(k)) continue;
        if (k.startsWith('param_')) {
          if (!NAME.test(k.slice(6))) throw new HttpFailure('BAD_ARGUMENTS', `Invalid query parameter name ${JSON.stringify(k.slice(6))}`);
          pre.push(`SET ${k} = ${literal(v)}`);
        } else if (!NAME.test(k)) throw new HttpFailure('UNKNOWN_SETTING', `Unknown setting ${JSON.stringify(k)}`);
        else if (k === 'readonly') urlReadonly = v;
        else pre.push(`SET ${k} = ${literal(v)}`);
      }
      if (account.readonly) {
        if (urlReadonly !== undefined && urlReadonly !== '1') throw new HttpFailure('READONLY', "Cannot modify 'readonly' setting in readonly mode");
        pre.unshift('SET readonly = 1'); // a readonly profile: URL settings cannot change anything after it
      } else {
        const ro = urlReadonly ?? (req.method === 'GET' ? '2' : undefined);
        if (ro !== undefined) pre.push(`SET readonly = ${literal(req.method === 'GET' && ro === '0' ? '2' : ro)}`);
      }
      const format = p.get('default_format') ?? 'TabSeparated';
      const session = new Session(opts.dataDir);
      let result;
      try {
        result = await session.queryAsync([...pre, sql].join(';\n'), { format });
      } finally {
        session.close();
      }
      const isInsert = /^\s*INSERT\b/i.test(sql);
      // chDB reports no written rows for an insert: count the rows sent (not what views derive).
      const written = isInsert ? sentRows(sql, urlQuery ? text : text.slice(text.indexOf('\n') + 1)) : 0;
      const summary = {
        read_rows: String(result.rowsRead),
        read_bytes: String(result.bytesRead),
        written_rows: String(written),
        written_bytes: isInsert ? String(result.bytesRead) : '0',
        total_rows_to_read: '0',
        result_rows: isInsert ? '0' : String(result.rowsRead),
        result_bytes: isInsert ? '0' : String(result.bytesRead),
        elapsed_ns: String(Math.round(result.elapsed * 1e9)),
      };
      let out = Buffer.from(result.bytes());
      const headers: Record<string, string> = {
        'Content-Type': contentType(format),
        'X-ClickHouse-Query-Id': queryId,
        'X-ClickHouse-Format': format,
        'X-ClickHouse-Timezone': 'UTC',
        'X-ClickHouse-Server-Display-Name': 'clickhouse-http (chDB)',
        'X-ClickHouse-Summary': JSON.stringify(summary),
      };
      if (p.get('enable_http_compression') === '1' && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        out = gzipSync(out);
        headers['Content-Encoding'] = 'gzip';
      }
      stats.ok++;
      res.writeHead(200, headers).end(out);
    } catch (e) {
      if (e instanceof HttpFailure) return fail(res, queryId, codeOf.get(e.codeName) ?? 1002, e.message);
      const code = (e as { clickhouseCode?: unknown }).clickhouseCode;
      fail(res, queryId, typeof code === 'number' ? code : (codeOf.get('UNKNOWN_EXCEPTION') ?? 1002), e instanceof Error ? e.message : String(e));
    }
  }

  const server = createServer((req, res) => {
    const p = handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  });
  server.listen(opts.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await Promise.allSettled([...inFlight]);
      await closed;
      anchor.close();
    },
  };
}

/**
 * Starts the server in a child process (its own chDB engine), so the calling process may use
 * chDB on another directory and several processes can share the server. Resolves once it listens.
 */
export async function startClickHouseHttp(opts: ClickHouseHttpOptions): Promise<ClickHouseHttpServer & { readonly pid: number }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', fileURLToPath(import.meta.url), '--serve'], {
    env: { ...process.env, CLICKHOUSE_HTTP_OPTIONS: JSON.stringify(opts) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = once(child, 'exit');
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(([code]) => reject(new Error(`clickhouse-http exited (${String(code)}) before listening: ${stderr.trim()}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// Child mode: `node clickhouse-http.ts --serve` with options in CLICKHOUSE_HTTP_OPTIONS.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--serve')) {
  const server = await serveClickHouseHttp(JSON.parse(process.env.CLICKHOUSE_HTTP_OPTIONS ?? '{}') as ClickHouseHttpOptions);
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
