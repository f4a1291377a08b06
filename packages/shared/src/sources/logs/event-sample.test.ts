import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../schema/index.ts';
import { createEventSampler, NO_MEMBER } from './event-sample.ts';

const at = (sec: number, durationMs?: number, member = 'm'): LogEvent => ({
  ts: new Date(Date.UTC(2024, 5, 10, 0, 0, sec)).toISOString(),
  member,
  level: 'warn',
  kind: 'slow-fdatasync',
  message: 'slow fdatasync',
  ...(durationMs !== undefined ? { durationMs } : {}),
});

describe('createEventSampler', () => {
  it('counts every event exactly and keeps the earliest, the longest and the latest within the cap', () => {
    const s = createEventSampler({ perKind: 10 });
    // 1000 events, one a second; event 500 is by far the longest.
    for (let i = 0; i < 1000; i++) s.add('m', at(i, i === 500 ? 9000 : 1000 + (i % 7)));
    const { events, counts } = s.result();
    expect(counts).toEqual([{ member: 'm', kind: 'slow-fdatasync', count: 1000, firstTs: at(0).ts, lastTs: at(999).ts, maxDurationMs: 9000 }]);
    expect(events).toHaveLength(10);
    const secs = events.map((e) => new Date(e.ts).getUTCSeconds() + 60 * new Date(e.ts).getUTCMinutes());
    expect(secs.slice(0, 2)).toEqual([0, 1]); // the earliest two
    expect(secs).toContain(500); // the longest
    expect(secs.slice(-6)).toEqual([994, 995, 996, 997, 998, 999]); // the latest six
  });

  it('keeps the same sample whatever order the events arrive in', () => {
    const inOrder = createEventSampler({ perKind: 5 });
    const shuffled = createEventSampler({ perKind: 5 });
    const all = Array.from({ length: 200 }, (_, i) => at(i, (i * 37) % 101));
    for (const e of all) inOrder.add('m', e);
    for (const e of [...all].sort((a, b) => ((a.durationMs ?? 0) * 7919) % 200 - ((b.durationMs ?? 0) * 7919) % 200)) shuffled.add('m', e);
    expect(shuffled.result().events.map((e) => e.ts)).toEqual(inOrder.result().events.map((e) => e.ts));
  });

  it('counts events outside the window on their side, never keeping them', () => {
    const s = createEventSampler({ perKind: 50, since: Date.parse(at(10).ts), until: Date.parse(at(19).ts) });
    const sides = Array.from({ length: 30 }, (_, i) => s.add('m', at(i)));
    expect(sides.filter((x) => x === 'before')).toHaveLength(10);
    expect(sides.filter((x) => x === 'after')).toHaveLength(10);
    const r = s.result();
    expect(r.outsideWindow).toEqual({ before: 10, after: 10 });
    expect(r.counts[0]?.count).toBe(10);
    expect(r.events).toHaveLength(10);
  });

  it('moves what waited under a file key to the member learned at its end, or to no member', () => {
    const s = createEventSampler({ perKind: 50 });
    s.add('\u0000file:0', at(1, undefined, undefined as unknown as string));
    s.add('m', at(2));
    s.add('\u0000file:1', at(3));
    s.rename('\u0000file:0', 'm');
    s.rename('\u0000file:1', undefined);
    const { counts, events } = s.result();
    expect(counts.map((c) => [c.member, c.count])).toEqual([
      [null, 1],
      ['m', 2],
    ]);
    expect(events[0]?.member).toBe('m');
    expect(s.result('m').counts).toHaveLength(1);
    expect(NO_MEMBER).toBe('\u0000');
  });

  it('keeps nothing with a cap of 0 and still counts', () => {
    const s = createEventSampler({ perKind: 0 });
    for (let i = 0; i < 5; i++) s.add('m', at(i));
    expect(s.result()).toMatchObject({ events: [], counts: [{ count: 5 }] });
  });
});
