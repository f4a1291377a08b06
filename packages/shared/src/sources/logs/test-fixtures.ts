import { readFileSync } from 'node:fs';
import { LogEventSchema, type LogEvent } from '../../schema/index.ts';
import type { LogFileCounters } from './file-counters.ts';
import { createLogParser, type LogContext } from './parser.ts';

/** Test helpers over fixtures/ (see its README for where every line comes from). */
export const fixturePath = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;
export const fixtureLines = (name: string): string[] => readFileSync(fixturePath(name), 'utf8').split('\n');

export interface Parsed {
  events: LogEvent[];
  counters: LogFileCounters;
  member: string | undefined;
  memberIds: Record<string, string>;
}

/** Runs a whole fixture through one parser, checking every event against the schema. */
export function parseFixture(name: string, ctx: LogContext = {}): Parsed {
  const p = createLogParser({ rawChars: 0, year: 2024, source: fixturePath(name), ...ctx });
  const events: LogEvent[] = [];
  for (const line of fixtureLines(name)) events.push(...p.push(line));
  events.push(...p.end());
  for (const e of events) LogEventSchema.parse(e);
  return { events, counters: p.counters, member: p.member, memberIds: p.memberIds() };
}
