import { ValidationError } from '../errors/index.ts';
import { ReportSchema, type Report } from '../schema/index.ts';

/**
 * The machine-readable report. Validated first, so that a file written today parses with the
 * same schema tomorrow (and a broken report fails here, naming the field, not in a consumer).
 */
export function renderJson(report: Report): string {
  const parsed = ReportSchema.safeParse(report);
  if (!parsed.success) throw new ValidationError('report', parsed.error);
  return `${JSON.stringify(parsed.data, null, 2)}\n`;
}
