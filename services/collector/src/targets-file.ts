import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError, ValidationError } from '@etcd-analyzer/shared/errors';
import { CollectorTargetsFileSchema, type CollectorTarget } from '@etcd-analyzer/shared/schema';

/** Reads a targets file (YAML or JSON; JSON is YAML); every problem names the file and the key. */
export function readTargetsFile(path: string): CollectorTarget[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`COLLECTOR_TARGETS_FILE: cannot read "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    throw new ConfigError(`${path}: not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const r = CollectorTargetsFileSchema.safeParse(raw);
  if (!r.success) throw new ValidationError(`targets file ${path}`, r.error);
  return r.data.targets;
}
