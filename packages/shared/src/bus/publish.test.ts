import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/index.ts';
import { DlqMessageCodec } from './codecs.ts';
import { InvalidSubjectTokenError } from './errors.ts';
import { sampleBatch, sampleFindingEvent } from './fixtures.ts';
import { batchMessage, dlqMessage, findingEventMessage } from './publish.ts';

function decodeDlq(data: Uint8Array) {
  const r = DlqMessageCodec.decode(data);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('outbound messages', () => {
  it('carry the subject and dedup id the contract names', () => {
    const b = batchMessage(sampleBatch({ cluster: 'ocp.prod', category: 'status' }));
    expect(b.subject).toMatch(/^etcd\.metrics\.ocp_prod__[0-9a-f]{8}\.status$/);
    expect(b.msgId).toBe(sampleBatch({ cluster: 'ocp.prod', category: 'status' }).id);
    const f = findingEventMessage(sampleFindingEvent({ state: 'resolved' }));
    expect(f.subject).toBe('etcd.findings.prod-east.warning.disk');
    expect(f.msgId).toBe(`${sampleFindingEvent().id}:resolved`);
  });

  it('refuse invalid payloads and bad subject parts before the wire', () => {
    expect(() => batchMessage({ ...sampleBatch(), series: 'x' } as never)).toThrow(ValidationError);
    expect(() => batchMessage(sampleBatch({ category: 'wal.fsync' }))).toThrow(InvalidSubjectTokenError);
  });
});

describe('dlqMessage', () => {
  it('keeps UTF-8 text as is, with the reason and where it came from', () => {
    const m = dlqMessage('metrics', { subject: 'etcd.metrics.a.b', reason: 'MetricBatch: id: required', payload: '{"x":1}', stream: 'ETCD_METRICS', seq: 7, deliveries: 1 });
    expect(m.subject).toBe('etcd.dlq.metrics');
    expect(m.msgId).toBe('dlq:ETCD_METRICS:7');
    const d = decodeDlq(m.data);
    expect(d).toMatchObject({ source: 'metrics', subject: 'etcd.metrics.a.b', reason: 'MetricBatch: id: required', seq: 7, payload: { encoding: 'utf8', data: '{"x":1}', bytes: 7, truncated: false } });
  });

  it('base64-encodes binary payloads', () => {
    const bin = new Uint8Array([0, 255, 1, 254, 0x80]);
    const d = decodeDlq(dlqMessage('metrics', { subject: 's', reason: 'r', payload: bin }).data);
    expect(d.payload).toEqual({ encoding: 'base64', data: Buffer.from(bin).toString('base64'), bytes: 5, truncated: false });
  });

  it('bounds the payload, cutting text on a character boundary', () => {
    const text = 'é'.repeat(100); // 200 bytes
    const d = decodeDlq(dlqMessage('metrics', { subject: 's', reason: 'r', payload: text }, { maxPayloadBytes: 51 }).data);
    expect(d.payload.encoding).toBe('utf8');
    expect(d.payload.truncated).toBe(true);
    expect(d.payload.bytes).toBe(200);
    expect(d.payload.data).toBe('é'.repeat(25));
    const big = decodeDlq(dlqMessage('metrics', { subject: 's', reason: 'x'.repeat(10_000), payload: new Uint8Array(1_000_000).fill(0xff) }).data);
    expect(big.payload.truncated).toBe(true);
    expect(Buffer.from(big.payload.data, 'base64').length).toBe(64 * 1024);
    expect(big.reason.length).toBeLessThanOrEqual(4_000);
  });

  it('has no dedup id without stream and seq', () => {
    expect(dlqMessage('agent', { subject: 'etcd.agent.ask', reason: 'r', payload: '' }).msgId).toBeUndefined();
  });
});
