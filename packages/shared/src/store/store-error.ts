import { EtcdAnalyzerError, type ErrorContext } from '../errors/index.ts';

/**
 * Storage failed: the server or the embedded engine refused, could not be reached, or answered
 * something unexpected. Keeps ClickHouse's error code and type when there was one
 * (`clickhouseCode` "516", `clickhouseType` "AUTHENTICATION_FAILED"), says which operation failed
 * and where (`target`: the server URL without credentials, or `chdb:<dir>`). Never carries a
 * password: messages are redacted and a cause that mentions a secret is dropped.
 */
export class StoreError extends EtcdAnalyzerError {
  override name = 'StoreError';
  readonly clickhouseCode: string | undefined;
  readonly clickhouseType: string | undefined;
  readonly operation: string;
  readonly target: string;
  constructor(
    message: string,
    details: { operation: string; target: string; clickhouseCode?: string; clickhouseType?: string },
    context: ErrorContext = {},
    options?: ErrorOptions,
  ) {
    super('STORE', message, { ...context, operation: details.operation, target: details.target, clickhouseCode: details.clickhouseCode, clickhouseType: details.clickhouseType }, options);
    this.operation = details.operation;
    this.target = details.target;
    this.clickhouseCode = details.clickhouseCode;
    this.clickhouseType = details.clickhouseType;
  }
}

export function isStoreError(e: unknown): e is StoreError {
  return e instanceof StoreError;
}

/** Network failures worth naming as "cannot reach" rather than as a query failure. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET']);
const MAX_MESSAGE = 600;

/** Replaces every secret (and its URL-encoded form) by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}

/**
 * The error type at the end of ClickHouse's full text ("... (SYNTAX_ERROR) (version 26.7.2.1)").
 * `@clickhouse/client` takes the first upper-case word in parentheses, which a syntax error's
 * excerpt can contain ("(COMMENT)"); chDB keeps the full text in the cause chain, so prefer it.
 */
function trailingType(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 5; cur = cur.cause, depth++) {
    const m = /\(([A-Z][A-Z0-9_]{2,})\)(?:\s*\(version [^)]*\))?\.?\s*$/.exec(cur.message);
    if (m && cur.message.includes('DB::Exception')) return m[1];
  }
  return undefined;
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Wraps anything thrown by `@clickhouse/client` (server path) or chDB (embedded path) in a
 * StoreError. ClickHouse errors are recognised by shape (`code` digits, `type` upper case) because
 * chDB's connection throws its own copy of the client's ClickHouseError class.
 */
export function toStoreError(e: unknown, where: { operation: string; target: string; secrets: readonly string[] }): StoreError {
  if (e instanceof StoreError) return e;
  const { operation, target, secrets } = where;
  const raw = e instanceof Error ? e.message : String(e);
  const clean = (s: string) => {
    const r = redact(s, secrets).replace(/\s+/g, ' ').trim();
    return r.length > MAX_MESSAGE ? `${r.slice(0, MAX_MESSAGE)}…` : r;
  };
  const leaks = secrets.some((s) => s && (`${raw}\n${e instanceof Error ? (e.stack ?? '') : ''}`.includes(s) || raw.includes(encodeURIComponent(s))));
  const options = leaks ? undefined : { cause: e };
  const code = errorCode(e);
  const type = (e as { type?: unknown } | null)?.type;
  if (code !== undefined && /^\d+$/.test(code) && typeof type === 'string' && /^[A-Z0-9_]+$/.test(type)) {
    const type = trailingType(e) ?? (e as { type: string }).type;
    return new StoreError(`${target}: ${operation} failed: ClickHouse error ${code} ${type}: ${clean(raw)}`, { operation, target, clickhouseCode: code, clickhouseType: type }, {}, options);
  }
  const clickhouseCode = (e as { clickhouseCode?: unknown } | null)?.clickhouseCode;
  if (typeof clickhouseCode === 'number') {
    // A chDB error that did not go through the connection (e.g. opening the data directory).
    return new StoreError(`${target}: ${operation} failed: ClickHouse error ${clickhouseCode}: ${clean(raw)}`, { operation, target, clickhouseCode: String(clickhouseCode) }, {}, options);
  }
  const netCode = code ?? errorCode((e as { cause?: unknown } | null)?.cause);
  if (netCode !== undefined && UNREACHABLE.has(netCode)) {
    return new StoreError(`cannot reach ClickHouse at ${target} (${operation}): ${netCode}: ${clean(raw)}`, { operation, target }, { network: netCode }, options);
  }
  if (/timeout/i.test(raw)) {
    return new StoreError(`ClickHouse at ${target} did not answer in time (${operation}): ${clean(raw)}`, { operation, target }, {}, options);
  }
  return new StoreError(`${target}: ${operation} failed: ${clean(raw)}`, { operation, target }, {}, options);
}
