import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLogParser } from './parser.ts';
import { quietZapLine } from './quiet-lines.ts';
import { fixtureLines, fixturePath } from './test-fixtures.ts';

function run(lines: string[], exhaustive: boolean, source?: string): unknown {
  const p = createLogParser({ rawChars: 0, year: 2024, exhaustive, ...(source ? { source } : {}) });
  const events = lines.flatMap((l) => [...p.push(l)]);
  events.push(...p.end());
  return { events, counters: { ...p.counters, formats: [...p.counters.formats] }, stats: { ...p.stats }, member: p.member, ids: p.memberIds() };
}

const ts = '2024-06-10T00:00:00.101220Z';
const line = (level: string, msg: string, extra = ''): string => `{"level":"${level}","ts":"${ts}","caller":"x/y.go:1","msg":"${msg}"${extra}}`;

describe('the quiet-line shortcut', () => {
  it.each(readdirSync(new URL('./fixtures/', import.meta.url)).filter((f) => f.endsWith('.log')))('gives the same result as the full parse on %s', (name) => {
    expect(run(fixtureLines(name), false, fixturePath(name))).toEqual(run(fixtureLines(name), true, fixturePath(name)));
  });

  it('takes only allowlisted messages from clean lines, and leaves the rest to the rules', () => {
    expect(quietZapLine(line('info', 'trace[1962453174] range', ',"detail":"{range_begin:/registry/pods/; }"'))).toEqual({ level: 'info', ts });
    expect(quietZapLine(line('warn', 'request stats', ',"time spent":"123ms"'))).toEqual({ level: 'warn', ts });
    for (const not of [
      line('warn', 'request stats', ',"error":"etcdserver: no space"'), // a symptom in a field
      line('error', 'compact tree index'), // error level: the error rule reads it
      line('info', 'slow fdatasync'), // an event
      line('info', 'saved snapshot', ',"local-member-id":"8e9e05c52164694d"'), // a member hint
      `${line('info', 'compact tree index')}${line('warn', 'slow fdatasync')}`, // glued: the second one matters
      line('info', 'compact tree index').slice(0, -1), // cut short
      line('info', 'trace[1] range\\"x'), // an escaped quote in the message
      `{"ts":"${ts}","level":"info","msg":"compact tree index"}`, // another key order: not etcd's encoder
    ])
      expect(quietZapLine(not)).toBeUndefined();
  });

  it('keeps the stamps of quiet lines for the file\'s span and for the days of time-only stamps after them', () => {
    const p = createLogParser({ member: 'm' });
    p.push(line('info', 'compact tree index'));
    expect(p.counters).toMatchObject({ ordinary: 1, firstTs: Date.parse(ts), lastTs: Date.parse(ts) });
  });
});
