import { anyTime } from './log-time.ts';
import type { EtcdRecord } from './records.ts';

/**
 * zap JSON records: etcd's own keys (level, ts, msg) and the names other encoder configs and log
 * shippers use for them (severity, timestamp, message, zap's short L/T/M keys).
 */

const LEVEL_ALIASES: Readonly<Record<string, string>> = {
  warning: 'warn',
  err: 'error',
  crit: 'critical',
  alert: 'critical',
  emerg: 'critical',
  emergency: 'critical',
  information: 'info',
};

export function normalizeLevel(v: string): string {
  // etcd writes lower case already; most lines skip the alias lookup.
  if (v === 'info' || v === 'warn' || v === 'error' || v === 'debug') return v;
  const l = v.toLowerCase();
  return LEVEL_ALIASES[l] ?? l;
}

/**
 * A zap JSON object as a record, or undefined when it lacks a message or both level and time.
 * The object itself serves as the record's fields (no copy: most lines are read once and dropped).
 */
export function fromZapJson(o: Record<string, unknown>, partial = false): EtcdRecord | undefined {
  const msg = o.msg ?? o.message ?? o.M;
  if (typeof msg !== 'string') return undefined;
  const level = o.level ?? o.severity ?? o.lvl ?? o.L;
  const rawTime = o.ts ?? o.timestamp ?? o.time ?? o['@timestamp'] ?? o.T;
  if (level === undefined && rawTime === undefined) return undefined;
  const time = rawTime !== undefined ? anyTime(rawTime) : undefined;
  if (partial) o.partial = true;
  return {
    format: 'zap-json',
    ts: time?.ts,
    timeOfDayMs: time?.timeOfDayMs,
    tsExact: time?.exact ?? false,
    level: typeof level === 'string' ? normalizeLevel(level) : undefined,
    msg,
    fields: o,
  };
}

// One "key":value pair of a flat JSON object; nested values end the salvage.
const PAIR = /\s*"((?:[^"\\]|\\.)*)"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)\s*(,|\})?/y;

/**
 * The leading complete fields of a JSON object that was cut short (a line over the length cap, a
 * crash mid-write): enough to know the message, level, time and the first fields.
 */
export function salvageJsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  const out: Record<string, unknown> = {};
  PAIR.lastIndex = 1;
  let found = false;
  for (;;) {
    const m = PAIR.exec(text);
    if (!m) break;
    try {
      out[JSON.parse(`"${m[1] as string}"`) as string] = JSON.parse(m[2] as string);
      found = true;
    } catch {
      break;
    }
    if (m[3] !== ',') break;
  }
  return found ? out : undefined;
}
