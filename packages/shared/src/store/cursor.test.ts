import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cursorSchema, encodeCursor } from './cursor.ts';

const Key = cursorSchema(z.tuple([z.number().int(), z.string()]));

describe('cursors', () => {
  it('round-trip the sort key of a row', () => {
    expect(Key.parse(encodeCursor([1714557600123, "ep'1"]))).toEqual([1714557600123, "ep'1"]);
  });

  it('refuse what this store did not issue', () => {
    expect(Key.safeParse('%%%').success).toBe(false);
    expect(Key.safeParse(encodeCursor(['x', 1])).success).toBe(false);
    expect(Key.safeParse(Buffer.from('{').toString('base64url')).error?.issues[0]?.message).toBe('not a cursor this store issued');
  });
});
