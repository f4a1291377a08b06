import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { forEachLine } from './line-reader.ts';

async function lines(chunks: Array<string | Buffer>, max = 1024): Promise<Array<[string, boolean]>> {
  const out: Array<[string, boolean]> = [];
  await forEachLine(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), max, (l, t) => out.push([l, t]));
  return out;
}

describe('forEachLine', () => {
  it('splits across chunk boundaries, drops \\r before \\n, and keeps a last line without newline', async () => {
    expect(await lines(['a\r\nb', 'c\n', '\n', 'd'])).toEqual([
      ['a', false],
      ['bc', false],
      ['', false],
      ['d', false],
    ]);
  });

  it('keeps a multi-byte character split between chunks whole', async () => {
    const bytes = Buffer.from('took 75.812µs\n');
    const at = bytes.indexOf(0xb5); // the second byte of "µ"
    expect(await lines([bytes.subarray(0, at), bytes.subarray(at)])).toEqual([['took 75.812µs', false]]);
  });

  it('cuts a line at the cap, in one chunk or across many, and says so', async () => {
    expect(await lines(['x'.repeat(3000) + '\nok\n'])).toEqual([
      ['x'.repeat(1024), true],
      ['ok', false],
    ]);
    const many = Array.from({ length: 50 }, () => 'y'.repeat(100));
    expect(await lines([...many, '\nok'])).toEqual([
      ['y'.repeat(1024), true],
      ['ok', false],
    ]);
    expect(await lines(['z'.repeat(2000)])).toEqual([['z'.repeat(1024), true]]);
  });
});
