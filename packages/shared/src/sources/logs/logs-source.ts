import { describeError } from '../../errors/index.ts';
import type { CollectRequest, LogSummary } from '../../schema/index.ts';
import type { MetricSource } from '../source.ts';
import { DEFAULT_SAMPLE_PER_KIND, readLogEvents } from './read-log-events.ts';

/** etcd's log files, read for the window only: a bounded sample of events and exact counts. */
export function createLogsSource(req: CollectRequest): MetricSource {
  const files = (req.logs as NonNullable<CollectRequest['logs']>).files;
  return {
    kind: 'logs',
    provides: 'logs',
    live: false,
    async collect(window) {
      try {
        const r = await readLogEvents({ files, since: new Date(window.start * 1000), until: new Date(window.end * 1000) });
        const logs: LogSummary = { counts: r.counts, files: r.files, outsideWindow: r.outsideWindow, ...(r.memberIds ? { memberIds: r.memberIds } : {}), samplePerKind: DEFAULT_SAMPLE_PER_KIND };
        return { logEvents: r.events, logs, problems: r.problems };
      } catch (e) {
        return { logEvents: [], problems: [{ source: 'logs', kind: 'other', message: describeError(e) }] };
      }
    },
    close: async () => {},
  };
}
