import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/index.ts';
import { ReportSchema, type Report } from '../schema/index.ts';
import { buildFixtureReport, buildUnknownReport } from './fixtures.ts';
import { renderJson } from './render-json.ts';

describe('renderJson', () => {
  it('round-trips the fixture through ReportSchema', () => {
    const report = buildFixtureReport();
    const out = renderJson(report);
    expect(out).toContain('\n  "schemaVersion": 2,');
    expect(ReportSchema.parse(JSON.parse(out))).toEqual(report);
  });

  it('round-trips a report with no data', () => {
    const report = buildUnknownReport();
    expect(ReportSchema.parse(JSON.parse(renderJson(report)))).toEqual(report);
  });

  it('refuses an invalid report with a ValidationError naming the field', () => {
    const bad = { ...buildFixtureReport(), score: 140 } as Report;
    expect(() => renderJson(bad)).toThrow(ValidationError);
    expect(() => renderJson(bad)).toThrow(/score/);
  });
});
