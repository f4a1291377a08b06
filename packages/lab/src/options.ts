/**
 * Parsers for the lab's user-facing options. They return a value or a message, and the caller
 * wraps the message in its own error type (ConfigError for CLI flags, LabError for the library),
 * prefixed with the name of the option.
 */
import { FAULT_KINDS, type FaultKind } from './state.ts';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** A whole number in [min, max]; accepts numbers and decimal strings ("3", not "3x" or "1e3"). */
export function parseIntegerIn(input: string | number, min: number, max: number): Parsed<number> {
  const text = String(input).trim();
  if (!/^-?\d+$/.test(text)) return bad(`"${input}" is not a whole number (expected ${min} to ${max})`);
  const n = Number(text);
  if (n < min || n > max) return bad(`${n} is out of range (expected ${min} to ${max})`);
  return ok(n);
}

/** A non-negative number, e.g. a rate in operations per second. */
export function parseNonNegative(input: string | number, max = Number.MAX_SAFE_INTEGER): Parsed<number> {
  const text = String(input).trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return bad(`"${input}" is not a non-negative number`);
  const n = Number(text);
  if (n > max) return bad(`${n} is too large (at most ${max})`);
  return ok(n);
}

const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };

/** A delay such as "40ms", "1.5s", "500us", or a bare number of milliseconds; 0 < delay <= 10 s. */
export function parseDelayMs(input: string | number): Parsed<number> {
  const m = /^(\d+(?:\.\d+)?)\s*(us|µs|ms|s)?$/.exec(String(input).trim());
  if (!m) return bad(`"${input}" is not a delay (use e.g. 40ms, 0.5s, 800us)`);
  const ms = Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] as number);
  if (!(ms > 0)) return bad(`"${input}" must be more than 0`);
  if (ms > 10_000) return bad(`"${input}" is more than 10s`);
  return ok(ms);
}

/** Bytes with an optional binary suffix: 104857600, 100MiB, 64M, 2GiB. */
export function parseBytes(input: string | number): Parsed<number> {
  const m = /^(\d+(?:\.\d+)?)\s*(k|ki|kib|kb|m|mi|mib|mb|g|gi|gib|gb)?$/i.exec(String(input).trim());
  if (!m) return bad(`"${input}" is not a size in bytes (use e.g. 104857600, 100MiB, 2GiB)`);
  const unit = (m[2] ?? '').toLowerCase().charAt(0);
  const n = Math.round(Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[unit]!);
  if (n < 1) return bad(`"${input}" must be at least 1 byte`);
  return ok(n);
}

/** How full the quota fault fills the database: 0 < fill <= 1 (1 raises the NOSPACE alarm). */
export function parseFill(input: string | number): Parsed<number> {
  const text = String(input).trim();
  if (!/^\d*\.?\d+$/.test(text)) return bad(`"${input}" is not a fraction (use e.g. 0.9)`);
  const n = Number(text);
  if (!(n > 0) || n > 1) return bad(`${n} must be more than 0 and at most 1 (1 fills until etcd raises NOSPACE)`);
  return ok(n);
}

export function parseFaultKind(input: string): Parsed<FaultKind> {
  return (FAULT_KINDS as readonly string[]).includes(input) ? ok(input as FaultKind) : bad(`unknown fault kind "${input}" (one of: ${FAULT_KINDS.join(', ')})`);
}

/** Which options each fault reads; passing another one is a mistake worth reporting. */
export const FAULT_OPTIONS: Record<FaultKind, ReadonlyArray<'member' | 'delay' | 'fill'>> = {
  'slow-disk': ['member', 'delay'],
  'leader-churn': [],
  'member-down': ['member'],
  quota: ['fill'],
  fragmentation: [],
  cpu: ['member'],
  'peer-latency': ['member', 'delay'],
};

export const MIN_QUOTA_BYTES = 1024 * 1024;
export const MAX_QUOTA_BYTES = 8 * 1024 ** 3;

/** etcd's --quota-backend-bytes as the lab accepts it: 1 MiB to 8 GiB (etcd's own ceiling). */
export function parseQuotaBytes(input: string | number): Parsed<number> {
  const r = parseBytes(input);
  if (!r.ok) return r;
  if (r.value < MIN_QUOTA_BYTES || r.value > MAX_QUOTA_BYTES) return bad(`${r.value} is out of range (expected 1MiB to 8GiB)`);
  return r;
}
