/**
 * @module sources/logs
 * etcd's logs as typed events: zap JSON (3.4 with --logger=zap, 3.5, 3.6) and capnslog (3.4),
 * bare or wrapped by journald, the CRI log format, docker's json-file driver or kubectl/oc logs.
 */
export { readLogEvents, type ReadLogEventsOptions, type ReadLogEventsResult } from './read-log-events.ts';
export { createLogParser, parseLogLine, memberFromPath, type LogContext, type LogParser, type LogParseStats } from './parser.ts';
export { parseGoDuration } from './duration.ts';
