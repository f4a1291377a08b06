import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../errors/index.ts';
import { buildFixtureReport } from '../report/fixtures.ts';
import { createCodec, DlqMessageCodec, FindingEventCodec, MetricBatchCodec, ReportCodec } from './codecs.ts';
import { MessageTooLargeError } from './errors.ts';
import { sampleBatch, sampleFindingEvent } from './fixtures.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('codecs', () => {
  it('round-trips every payload family', () => {
    const batch = sampleBatch();
    expect(MetricBatchCodec.decode(MetricBatchCodec.encode(batch))).toEqual({ ok: true, value: batch });
    const event = sampleFindingEvent();
    expect(FindingEventCodec.decode(FindingEventCodec.encode(event))).toEqual({ ok: true, value: event });
    const report = buildFixtureReport();
    const r = ReportCodec.decode(ReportCodec.encode(report));
    expect(r.ok && r.value.id).toBe(report.id);
  });

  it('refuses to encode an invalid value: a bug never reaches the wire', () => {
    const bad = { ...sampleBatch(), tickBatches: 0 };
    expect(() => MetricBatchCodec.encode(bad)).toThrow(ValidationError);
    expect(() => MetricBatchCodec.encode(bad)).toThrow(/tickBatches/);
  });

  it('refuses to encode past the size bound', () => {
    const small = createCodec('Thing', z.object({ s: z.string() }), { maxBytes: 50 });
    expect(() => small.encode({ s: 'x'.repeat(100) })).toThrow(MessageTooLargeError);
  });

  it('decodes bad input to a reason naming the failing paths, never throwing', () => {
    const batch = sampleBatch();
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(), /empty payload/],
      [bytes('{"schemaVersion":1'), /not JSON/],
      [new Uint8Array([0xff, 0xfe, 0x00, 0x81]), /not UTF-8/],
      [bytes('null'), /\(root\)/],
      [bytes('[]'), /\(root\)/],
      [bytes(JSON.stringify({ ...batch, schemaVersion: 2 })), /schemaVersion/],
      [bytes(JSON.stringify({ ...batch, series: [{ ...batch.series[0], points: 'x' }] })), /series\.0\.points/],
      [bytes(JSON.stringify({ ...batch, window: { start: 1 } })), /window\.start.*window\.end|window\.end.*window\.start/],
      [bytes(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), /MetricBatch/],
    ];
    for (const [data, reason] of cases) {
      const r = MetricBatchCodec.decode(data);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    }
  });

  it('bounds the decoded size and the reason length', () => {
    const r = MetricBatchCodec.decode(new Uint8Array(MetricBatchCodec.maxBytes + 1).fill(0x20));
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/over the 1048576-byte limit/) });
    const many = { ...sampleBatch(), series: Array.from({ length: 500 }, () => ({ metric: 1 })) };
    const m = MetricBatchCodec.decode(bytes(JSON.stringify(many)));
    expect(m.ok).toBe(false);
    if (!m.ok) {
      expect(m.reason).toMatch(/\(\+\d+ more\)/);
      expect(m.reason.length).toBeLessThanOrEqual(2_000);
    }
  });

  it('validates DLQ records too', () => {
    expect(DlqMessageCodec.decode(bytes('{}')).ok).toBe(false);
  });
});
