/**
 * @module errors
 * One base error with a stable `code`; one subclass per boundary. Expected outcomes such as
 * "no data" are values, not throws.
 */
import type { ZodError } from 'zod';

export interface ErrorContext {
  readonly [key: string]: string | number | boolean | undefined;
}

export class EtcdAnalyzerError extends Error {
  override name = 'EtcdAnalyzerError';
  readonly code: string;
  readonly context: ErrorContext;
  constructor(code: string, message: string, context: ErrorContext = {}, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.context = context;
  }
}

/** A flag, config file or environment variable is wrong; the message names it. */
export class ConfigError extends EtcdAnalyzerError {
  override name = 'ConfigError';
  constructor(message: string, context: ErrorContext = {}, options?: ErrorOptions) {
    super('CONFIG', message, context, options);
  }
}

/** Input failed a schema; `issues` lists each failing path. */
export class ValidationError extends EtcdAnalyzerError {
  override name = 'ValidationError';
  readonly issues: readonly string[];
  constructor(what: string, zodError: ZodError, options?: ErrorOptions) {
    const issues = zodError.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    super('VALIDATION', `invalid ${what}: ${issues.join('; ')}`, { what }, { cause: zodError, ...options });
    this.issues = issues;
  }
}

/** A metric, status or log source failed; `source` names which one (never with secrets). */
export class SourceError extends EtcdAnalyzerError {
  override name = 'SourceError';
  readonly source: string;
  constructor(source: string, message: string, context: ErrorContext = {}, options?: ErrorOptions) {
    super('SOURCE', `${source}: ${message}`, { ...context, source }, options);
    this.source = source;
  }
}

/** The lab (local etcd cluster) could not do what was asked. */
export class LabError extends EtcdAnalyzerError {
  override name = 'LabError';
  constructor(message: string, context: ErrorContext = {}, options?: ErrorOptions) {
    super('LAB', message, context, options);
  }
}

export function isEtcdAnalyzerError(e: unknown): e is EtcdAnalyzerError {
  return e instanceof EtcdAnalyzerError;
}

/** A short, single-line description of any thrown value, safe to print. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error && !e.message.includes(e.cause.message) ? ` (${e.cause.message})` : '';
    return `${e.message}${cause}`.replace(/\s+/g, ' ').trim();
  }
  return String(e);
}
