/**
 * @module sources/logs
 * etcd's logs as typed events, in bounded memory: zap JSON and console (3.4 with --logger=zap,
 * 3.5, 3.6), capnslog (2.x-3.4, also with --debug's file column), the raft, Go and grpc loggers;
 * bare or wrapped by journald (short, -o json, json-seq, json-pretty), the CRI log format,
 * docker's json-file driver or kubectl/oc logs --prefix/--timestamps.
 */
export {
  readLogEvents,
  countOf,
  DEFAULT_SAMPLE_PER_KIND,
  type ReadLogEventsOptions,
  type ReadLogEventsResult,
  type LogEventCount,
  type LogFileStats,
} from './read-log-events.ts';
export { createLogParser, parseLogLine, memberFromPath, DEFAULT_MAX_LINE_CHARS, type LogContext, type LogParser, type LogParseStats } from './parser.ts';
export type { LogFileCounters } from './file-counters.ts';
export { parseDuration, parseGoDuration, type IntegerDurationUnit } from './duration.ts';
