import { describe, expect, it } from 'vitest';
import { preferredOwner } from './ownership.ts';

describe('rendezvous hashing of targets over instances', () => {
  const clusters = Array.from({ length: 300 }, (_, i) => `cluster-${i}`);

  it('spreads targets over the live instances and agrees whatever the order of the list', () => {
    const counts = new Map<string, number>();
    for (const c of clusters) {
      const a = preferredOwner(c, ['a', 'b', 'c'])!;
      expect(preferredOwner(c, ['c', 'a', 'b'])).toBe(a);
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    for (const n of counts.values()) expect(n).toBeGreaterThan(60);
  });

  it('moves only the dead instance\'s targets when it leaves', () => {
    const before = clusters.map((c) => preferredOwner(c, ['a', 'b', 'c']));
    const after = clusters.map((c) => preferredOwner(c, ['a', 'b']));
    clusters.forEach((_, i) => {
      if (before[i] !== 'c') expect(after[i]).toBe(before[i]);
      else expect(['a', 'b']).toContain(after[i]);
    });
  });
});
