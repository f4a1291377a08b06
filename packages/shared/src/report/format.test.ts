import { describe, expect, it } from 'vitest';
import type { Chart } from '../schema/index.ts';
import { chartScale, escapeHtml, escapeMarkdown, formatChange, formatMeasure, formatSpan, formatThreshold, formatUtc, formatWindow, jsonForScript, wrapText } from './format.ts';

const MIB = 1024 * 1024;
const chart = (unit: string, values: number[], threshold: number | null = null): Chart => ({
  metric: 'm', title: 't', unit, threshold, series: values.length ? [{ member: 'a', points: values.map((v, i) => [i, v] as [number, number]) }] : [],
});

describe('formatMeasure', () => {
  it('shows seconds as ms under 1 s and as s above', () => {
    expect(formatMeasure(0.0021, 'seconds')).toBe('2.10 ms');
    expect(formatMeasure(0.0613, 'seconds')).toBe('61.3 ms');
    expect(formatMeasure(1.5, 'seconds')).toBe('1.50 s');
  });
  it('shows bytes with binary prefixes', () => {
    expect(formatMeasure(512, 'bytes')).toBe('512 B');
    expect(formatMeasure(2048, 'bytes')).toBe('2.0 KiB');
    expect(formatMeasure(412 * MIB, 'bytes')).toBe('412.0 MiB');
    expect(formatMeasure(6 * 1024 * MIB, 'bytes')).toBe('6.0 GiB');
  });
  it('shows percent, booleans and missing values', () => {
    expect(formatMeasure(5.03, 'percent')).toBe('5.0 %');
    expect(formatMeasure(1, 'boolean')).toBe('yes');
    expect(formatMeasure(0, 'boolean')).toBe('no');
    expect(formatMeasure(null, 'seconds')).toBe('n/a');
    expect(formatMeasure(Number.NaN, 'seconds')).toBe('n/a');
    expect(formatThreshold(null, 'seconds')).toBe('-');
  });
  it('signs a baseline change', () => {
    expect(formatChange(0.354)).toBe('+35 %');
    expect(formatChange(-0.1)).toBe('-10 %');
    expect(formatChange(null)).toBe('-');
  });
});

describe('time', () => {
  it('formats a window in UTC, repeating the date only when it changes', () => {
    expect(formatWindow({ start: '2025-05-12T09:00:00.000Z', end: '2025-05-12T09:30:00.000Z' })).toBe('2025-05-12 09:00:00 to 09:30:00 UTC (30m)');
    expect(formatWindow({ start: '2025-05-12T23:00:00Z', end: '2025-05-13T01:00:30Z' })).toBe('2025-05-12 23:00:00 to 2025-05-13 01:00:30 UTC (2h30s)');
  });
  it('shows an unparsable stamp as given', () => {
    expect(formatUtc('yesterday')).toBe('yesterday');
    expect(formatWindow({ start: 'a', end: 'b' })).toBe('a to b');
  });
  it('formats spans', () => {
    expect(formatSpan(0)).toBe('0s');
    expect(formatSpan(930)).toBe('15m30s');
    expect(formatSpan(7200)).toBe('2h');
  });
});

describe('chartScale', () => {
  it('plots sub-second latencies in ms and longer ones in s', () => {
    expect(chartScale(chart('seconds', [0.002, 0.08], 0.01))).toEqual({ factor: 1000, suffix: 'ms' });
    expect(chartScale(chart('seconds', [0.5, 2.5]))).toEqual({ factor: 1, suffix: 's' });
  });
  it('picks the byte prefix from the data, not from a far-off threshold', () => {
    expect(chartScale(chart('bytes', [400 * MIB, 410 * MIB], 6 * 1024 * MIB))).toEqual({ factor: 1 / MIB, suffix: 'MiB' });
  });
  it('falls back to the threshold without data, and scales ratios to percent', () => {
    expect(chartScale(chart('seconds', [], 0.01))).toEqual({ factor: 1000, suffix: 'ms' });
    expect(chartScale(chart('ratio', [0.5]))).toEqual({ factor: 100, suffix: '%' });
    expect(chartScale(chart('count', []))).toEqual({ factor: 1, suffix: '' });
  });
});

describe('escaping', () => {
  it('escapes HTML text and attributes', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });
  it('makes JSON safe inside a script element and still parseable', () => {
    const value = { name: '</script><script>alert(1)</script>', s: 'a\u2028b', amp: '&<!--' };
    const out = jsonForScript(value);
    expect(out).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(out)).toEqual(value);
  });
  it('escapes Markdown table breakers and markup, and folds newlines', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('<b>*x*</b>')).toBe('\\<b\\>\\*x\\*\\</b\\>');
    expect(escapeMarkdown('line1\nline2')).toBe('line1 line2');
  });
});

describe('wrapText', () => {
  it('wraps at the width and keeps over-long words whole', () => {
    const lines = wrapText('aaa bbb ccc ddd eee', 7);
    expect(lines).toEqual(['aaa bbb', 'ccc ddd', 'eee']);
    expect(wrapText('short averyveryverylongword', 8)).toEqual(['short', 'averyveryverylongword']);
  });
});
