import {
  AuthorizationError,
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  PermissionViolationError,
  RequestError,
  TimeoutError,
  UserAuthenticationExpiredError,
} from '@nats-io/transport-node';
import { JetStreamApiError, JetStreamError } from '@nats-io/jetstream';
import { EtcdAnalyzerError, type ErrorContext } from '../errors/index.ts';

/** The bus (NATS) could not do what was asked; `code` tells which part. Never carries secrets. */
export class BusError extends EtcdAnalyzerError {
  override name = 'BusError';
  constructor(message: string, context: ErrorContext = {}, options?: ErrorOptions, code = 'BUS') {
    super(code, message, context, options);
  }
}

/** A cluster, category, severity or source is not a valid subject token; `value` quotes it. */
export class InvalidSubjectTokenError extends BusError {
  override name = 'InvalidSubjectTokenError';
  readonly kind: string;
  readonly value: string;
  constructor(kind: string, value: string, rule: string) {
    super(`invalid ${kind} ${JSON.stringify(value)}: ${rule}`, { kind, value }, undefined, 'BUS_SUBJECT');
    this.kind = kind;
    this.value = value;
  }
}

/** An encoded message is larger than the bus accepts. */
export class MessageTooLargeError extends BusError {
  override name = 'MessageTooLargeError';
  readonly bytes: number;
  readonly limit: number;
  constructor(what: string, bytes: number, limit: number) {
    super(`${what} is ${bytes} bytes encoded, over the ${limit}-byte limit`, { what, bytes, limit }, undefined, 'BUS_TOO_LARGE');
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** A publish failed for good (permanent error, deadline passed, or aborted). */
export class PublishError extends BusError {
  override name = 'PublishError';
  readonly subject: string;
  readonly attempts: number;
  /** The last failure was transient: retrying later may succeed. */
  readonly transient: boolean;
  constructor(subject: string, attempts: number, transient: boolean, cause: unknown) {
    super(`publish to ${subject} failed after ${attempts} attempt(s): ${cause instanceof Error ? cause.message : String(cause)}`, { subject, attempts, transient }, { cause }, 'BUS_PUBLISH');
    this.subject = subject;
    this.attempts = attempts;
    this.transient = transient;
  }
}

export function isBusError(e: unknown): e is BusError {
  return e instanceof BusError;
}

/** JetStream API codes that mean "try again": the stream is (re)electing, JetStream is starting. */
const TRANSIENT_API_STATUS = new Set([408, 503]);

/**
 * Whether a NATS failure may pass if retried: timeouts, lost connections, no responders
 * (JetStream starting up after a restart), 503s. Closed or draining connections, permission
 * and auth errors, and API errors (wrong sequence, too large, …) are permanent.
 */
export function isTransientNatsError(e: unknown): boolean {
  if (e instanceof ClosedConnectionError || e instanceof DrainingConnectionError) return false;
  if (e instanceof PermissionViolationError || e instanceof AuthorizationError || e instanceof UserAuthenticationExpiredError) return false;
  if (e instanceof JetStreamApiError) return TRANSIENT_API_STATUS.has(e.status);
  if (e instanceof TimeoutError || e instanceof NoRespondersError || e instanceof ConnectionError) return true;
  if (e instanceof RequestError) return true;
  // JetStreamNotEnabled (no responders on a JS subject) and other JetStreamErrors from a
  // server that is still starting.
  if (e instanceof JetStreamError || (e instanceof Error && e.name === 'JetStreamNotEnabled')) return true;
  if (e instanceof Error && e.cause !== undefined && e.cause !== e) return isTransientNatsError(e.cause);
  return false;
}

/** The connection was closed or is draining (by us): retrying on it is pointless. */
export function isConnectionClosedError(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x instanceof Error && depth < 5; x = x.cause, depth++) {
    if (x instanceof ClosedConnectionError || x instanceof DrainingConnectionError) return true;
  }
  return false;
}
