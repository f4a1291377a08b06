import type { z } from 'zod';
import { ValidationError } from '../errors/index.ts';
import { DlqMessageSchema, FindingEventSchema, MetricBatchSchema, ReportSchema, type DlqMessage, type FindingEvent, type MetricBatch, type Report } from '../schema/index.ts';
import { MessageTooLargeError } from './errors.ts';

/** nats-server's default `max_payload` (1 MiB): the default bound on one message. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
/** How many failing paths a decode reason lists before "(+N more)". */
const MAX_LISTED_ISSUES = 8;
const MAX_REASON_CHARS = 2_000;

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * JSON on the wire, validated on both ends. `encode` throws on an invalid value (a bug never
 * reaches the wire) or an oversized one; `decode` never throws: bad input is a value with the
 * reason, naming the failing paths.
 */
export interface Codec<T> {
  /** The message family, as errors and reasons name it (`MetricBatch`). */
  readonly name: string;
  readonly maxBytes: number;
  encode(value: T): Uint8Array;
  decode(data: Uint8Array): DecodeResult<T>;
}

/** `path: message; path: message (+N more)`, paths dotted (`series.0.points`). */
export function formatIssues(error: z.ZodError): string {
  const issues = error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
  const shown = issues.slice(0, MAX_LISTED_ISSUES).join('; ');
  return issues.length > MAX_LISTED_ISSUES ? `${shown} (+${issues.length - MAX_LISTED_ISSUES} more)` : shown;
}

function clip(s: string): string {
  return s.length > MAX_REASON_CHARS ? `${s.slice(0, MAX_REASON_CHARS - 1)}…` : s;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export function createCodec<S extends z.ZodType>(name: string, schema: S, opts: { maxBytes?: number } = {}): Codec<z.output<S>> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  return {
    name,
    maxBytes,
    encode(value) {
      const r = schema.safeParse(value);
      if (!r.success) throw new ValidationError(name, r.error);
      const bytes = encoder.encode(JSON.stringify(r.data));
      if (bytes.length > maxBytes) throw new MessageTooLargeError(name, bytes.length, maxBytes);
      return bytes;
    },
    decode(data) {
      try {
        if (data.length === 0) return { ok: false, reason: `${name}: empty payload` };
        if (data.length > maxBytes) return { ok: false, reason: `${name}: payload is ${data.length} bytes, over the ${maxBytes}-byte limit` };
        let text: string;
        try {
          text = utf8.decode(data);
        } catch {
          return { ok: false, reason: `${name}: payload is not UTF-8 text` };
        }
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (e) {
          return { ok: false, reason: clip(`${name}: not JSON: ${(e as Error).message}`) };
        }
        const r = schema.safeParse(json);
        return r.success ? { ok: true, value: r.data } : { ok: false, reason: clip(`${name}: ${formatIssues(r.error)}`) };
      } catch (e) {
        return { ok: false, reason: clip(`${name}: cannot decode: ${e instanceof Error ? e.message : String(e)}`) };
      }
    },
  };
}

export const MetricBatchCodec: Codec<MetricBatch> = createCodec('MetricBatch', MetricBatchSchema);
export const FindingEventCodec: Codec<FindingEvent> = createCodec('FindingEvent', FindingEventSchema);
export const ReportCodec: Codec<Report> = createCodec('Report', ReportSchema);
export const DlqMessageCodec: Codec<DlqMessage> = createCodec('DlqMessage', DlqMessageSchema);
