import { anyTime } from './log-time.ts';
import type { EtcdRecord } from './records.ts';

/**
 * zap JSON records: etcd's own keys (level, ts, msg) and the names other encoder configs and log
 * shippers use for them (severity, timestamp, message, zap's short L/T/M keys).
 */
const MSG_KEYS = ['msg', 'message', 'M'] as const;
const LEVEL_KEYS = ['level', 'severity', 'lvl', 'L'] as const;
const TIME_KEYS = ['ts', 'timestamp', 'time', '@timestamp', 'T'] as const;

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
  const l = v.toLowerCase();
  return LEVEL_ALIASES[l] ?? l;
}

function firstKey(o: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const k of keys) if (o[k] !== undefined) return k;
  return undefined;
}

/** A zap JSON object as a record, or undefined when it lacks a message or both level and time. */
export function fromZapJson(o: Record<string, unknown>, partial = false): EtcdRecord | undefined {
  const msgKey = firstKey(o, MSG_KEYS);
  const msg = msgKey ? o[msgKey] : undefined;
  if (typeof msg !== 'string') return undefined;
  const levelKey = firstKey(o, LEVEL_KEYS);
  const timeKey = firstKey(o, TIME_KEYS);
  if (levelKey === undefined && timeKey === undefined) return undefined;
  const time = timeKey ? anyTime(o[timeKey]) : undefined;
  const level = levelKey ? o[levelKey] : undefined;
  const fields: Record<string, unknown> = { ...o };
  for (const k of [msgKey, levelKey, timeKey]) if (k) delete fields[k];
  if (partial) fields.partial = true;
  return {
    format: 'zap-json',
    ...(time?.ts !== undefined ? { ts: time.ts } : {}),
    ...(time?.timeOfDayMs !== undefined ? { timeOfDayMs: time.timeOfDayMs } : {}),
    tsExact: time?.exact ?? false,
    ...(typeof level === 'string' ? { level: normalizeLevel(level) } : {}),
    msg,
    fields,
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
