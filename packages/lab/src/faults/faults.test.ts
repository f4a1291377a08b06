import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../state.ts';
import { FAULT_OPTIONS } from '../options.ts';
import { parseAffinityMask } from './cpu.ts';
import { fragmentationBytes } from './fragmentation.ts';
import { FAULT_DRIVERS, HEAL_ORDER } from './index.ts';
import { churnTiming } from './leader-churn.ts';
import { quotaValueBytes } from './quota.ts';
import { straceArgs } from './slow-disk.ts';

const MiB = 1024 * 1024;

describe('fault drivers', () => {
  it('has one driver, one heal position and one option list per kind', () => {
    for (const k of FAULT_KINDS) {
      expect(FAULT_DRIVERS[k].kind).toBe(k);
      expect(HEAL_ORDER).toContain(k);
      expect(FAULT_OPTIONS[k]).toBeDefined();
    }
    // Members come back before the data faults defragment them.
    expect(HEAL_ORDER.indexOf('member-down')).toBeLessThan(HEAL_ORDER.indexOf('quota'));
    expect(HEAL_ORDER.indexOf('leader-churn')).toBe(0);
  });

  it('injects the delay into fdatasync and fsync of every thread, in microseconds', () => {
    expect(straceArgs(4242, 40)).toEqual(['-f', '-p', '4242', '-e', 'trace=fdatasync,fsync', '-e', 'inject=fdatasync:delay_enter=40000', '-e', 'inject=fsync:delay_enter=40000', '-o', '/dev/null']);
  });

  it('stops the leader for longer than any randomized election timeout', () => {
    const { stopMs } = churnTiming(1000);
    expect(stopMs).toBeGreaterThan(2 * 1000);
  });

  it('reads the affinity mask taskset prints', () => {
    expect(parseAffinityMask("pid 9829's current affinity mask: 3\n")).toBe('3');
    expect(parseAffinityMask("pid 1's current affinity mask: ff,ffffffff")).toBe('ff,ffffffff');
    expect(parseAffinityMask('taskset: failed')).toBeUndefined();
  });

  it('sizes quota values so that one round of puts cannot jump a 10 % margin', () => {
    expect(quotaValueBytes(64 * MiB)).toBe(512 * 1024);
    expect(quotaValueBytes(2 * MiB)).toBe(16 * 1024);
    for (const q of [2 * MiB, 16 * MiB, 64 * MiB, 1024 * MiB]) expect(4 * quotaValueBytes(q)).toBeLessThanOrEqual(0.1 * q);
  });

  it('writes enough for free pages to outnumber used ones, within the quota', () => {
    expect(fragmentationBytes(1 * MiB, 1 * MiB, null)).toBe(96 * MiB);
    expect(fragmentationBytes(40 * MiB, 40 * MiB, null)).toBe(120 * MiB);
    expect(fragmentationBytes(1 * MiB, 2 * MiB, 20 * MiB)).toBe(10 * MiB);
    expect(() => fragmentationBytes(10 * MiB, 10 * MiB, 20 * MiB)).toThrow(/leaves too little room/);
  });
});
