import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../catalog/index.ts';
import { ConfigError, ValidationError } from '../errors/index.ts';
import { RULES } from './catalog.ts';
import { checkOverride } from './config-checks.ts';
import type { AnalysisConfig } from './types.ts';

const RuleOverrideSchema = z
  .object({
    warning: z.number().finite().optional(),
    critical: z.number().finite().optional(),
    holdFor: z.string().refine((s) => { try { parseDuration(s); return true; } catch { return false; } }, 'must be a duration such as 90s or 2m').optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const AnalysisConfigSchema = z
  .object({
    rules: z.record(z.string(), RuleOverrideSchema).default({}),
    expectedMembers: z.number().int().positive().optional(),
  })
  .strict();

/**
 * Parses a thresholds file (YAML or JSON; JSON is YAML). Unknown rule ids and warning/critical
 * pairs in the wrong order are errors that name the rule.
 */
export function parseAnalysisConfig(text: string, fileName: string): AnalysisConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    throw new ConfigError(`${fileName}: not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = AnalysisConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(`config file ${fileName}`, parsed.error);
  const errors: string[] = [];
  for (const [id, o] of Object.entries(parsed.data.rules)) {
    const rule = RULES.find((r) => r.id === id);
    if (!rule) {
      errors.push(`rules.${id}: unknown rule (known: ${RULES.map((r) => r.id).join(', ')})`);
      continue;
    }
    errors.push(...checkOverride(rule, o));
    const w = o.warning ?? rule.thresholds.warning;
    const c = o.critical ?? rule.thresholds.critical;
    if (rule.direction === 'above' ? w > c : w < c) errors.push(`rules.${id}: warning (${w}) must not be ${rule.direction === 'above' ? 'above' : 'below'} critical (${c})`);
  }
  if (errors.length) throw new ConfigError(`invalid config file ${fileName}:\n  ${errors.join('\n  ')}`);
  return parsed.data;
}
