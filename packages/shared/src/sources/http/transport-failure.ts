/**
 * What went wrong below HTTP, in words an SRE can act on. Node and undici report a refused
 * connection, a DNS failure or a timeout as codes (ECONNREFUSED, UND_ERR_SOCKET, or a
 * DOMException whose numeric code 23 means nothing to anyone); this turns them into a reason.
 */

export type TransportFailureKind = 'unreachable' | 'timeout' | 'tls';

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** "30 s", "1.5 s", "250 ms". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms)} ms`;
}

export function describeTransportFailure(e: unknown, timeoutMs: number): { kind: TransportFailureKind; reason: string } {
  const err = (e ?? {}) as { name?: string; code?: unknown; message?: string; cause?: { code?: unknown; message?: string; name?: string } };
  const code = String(typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : '');
  const name = err.name ?? '';
  const message = err.cause?.message ?? err.message ?? String(e);
  if (name === 'TimeoutError' || name === 'AbortError' || err.cause?.name === 'TimeoutError' || /TIMEOUT|ETIMEDOUT/i.test(code)) {
    return { kind: 'timeout', reason: code === 'UND_ERR_CONNECT_TIMEOUT' ? `no connection within ${formatMs(timeoutMs)}` : `no answer within ${formatMs(timeoutMs)}` };
  }
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(message)) return { kind: 'tls', reason: `TLS failure: ${message}` };
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'unreachable', reason: 'cannot connect: connection refused (nothing listens on that port)' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'unreachable', reason: 'cannot connect: host name not found (DNS)' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { kind: 'unreachable', reason: 'cannot connect: no route to the host' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { kind: 'unreachable', reason: 'the connection was closed by the other side' };
  }
  return { kind: 'unreachable', reason: `cannot connect: ${message}${code && !message.includes(code) ? ` (${code})` : ''}` };
}

/** Drops the rest of a response body; an abort error from the drop itself is of no interest. */
export function discard(body: { destroy(): unknown; on(event: 'error', listener: () => void): unknown }): void {
  body.on('error', () => undefined);
  body.destroy();
}
