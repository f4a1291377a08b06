import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isOurs, parseProcStat } from './processes.ts';

describe('parseProcStat', () => {
  it('reads state and start time even when the command name holds spaces and parentheses', () => {
    const line = '4242 (my (odd) proc) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10';
    expect(parseProcStat(line)).toEqual({ state: 'S', startTime: 987654 });
  });

  it('returns undefined for garbage', () => {
    expect(parseProcStat('nonsense')).toBeUndefined();
  });
});

describe('isOurs', () => {
  const own = parseProcStat(readFileSync('/proc/self/stat', 'utf8'))!;

  it('recognises a live process by pid, start time and program name', () => {
    expect(isOurs({ pid: process.pid, startTime: own.startTime, command: process.execPath })).toBe(true);
  });

  it('rejects a recycled pid (other start time) or another program', () => {
    expect(isOurs({ pid: process.pid, startTime: own.startTime + 1, command: process.execPath })).toBe(false);
    expect(isOurs({ pid: process.pid, startTime: own.startTime, command: '/usr/bin/etcd' })).toBe(false);
  });
});
