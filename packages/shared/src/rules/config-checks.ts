import { formatValue } from '../catalog/index.ts';
import type { Rule, RuleOverride } from './types.ts';

/** Percent rules that may pass 100 (etcd CPU: 100 % is one core). */
const UNBOUNDED_PERCENT = new Set(['etcdCpu']);

/**
 * Whether an override makes sense for its rule: no negative latencies, sizes or rates; boolean
 * rules keep their only meaningful threshold; values that look like the wrong unit (10 for
 * 10 ms on a seconds rule, 0.8 for 80 %) are refused with the value the user probably meant.
 * Returns one message per problem, each naming the key and the rule.
 */
export function checkOverride(rule: Rule, o: RuleOverride): string[] {
  const errors: string[] = [];
  const key = (level: string): string => `rules.${rule.id}.${level}`;
  for (const level of ['warning', 'critical'] as const) {
    const v = o[level];
    if (v === undefined) continue;
    const def = rule.thresholds[level];
    if (rule.unit === 'boolean') {
      if (v !== def) errors.push(`${key(level)}: ${rule.id} is a yes/no condition; its threshold can only be ${def} (disable it with enabled: false)`);
      continue;
    }
    if (v < 0) {
      errors.push(`${key(level)}: ${v} is negative; ${rule.title.toLowerCase()} is measured in ${rule.unit} and cannot be below 0`);
      continue;
    }
    if (rule.unit === 'seconds' && v > 10 * rule.thresholds.critical && v >= 1) {
      errors.push(`${key(level)}: ${v} seconds is far above anything ${rule.id} tolerates (default critical ${formatValue(rule.thresholds.critical, 'seconds')}); thresholds are in seconds: for ${v} ms write ${v / 1000}`);
    }
    if (rule.unit === 'percent') {
      if (v > 100 && !UNBOUNDED_PERCENT.has(rule.id)) errors.push(`${key(level)}: ${v} % is above 100 %`);
      else if (v > 0 && v < 1 && def >= 10) errors.push(`${key(level)}: ${v} looks like a fraction; thresholds are in percent: for ${v * 100} % write ${v * 100}`);
    }
    if (rule.unit === 'bytes' && v > 0 && v < 1024 * 1024 && def >= 1024 * 1024) {
      errors.push(`${key(level)}: ${v} bytes is less than 1 MiB; thresholds are in bytes: for ${v} GiB write ${v * 1024 ** 3}`);
    }
  }
  return errors;
}
