import { describeError } from '../../errors/index.ts';
import type { CollectRequest } from '../../schema/index.ts';
import type { MetricSource } from '../source.ts';
import { collectEtcdStatus } from './collect-etcd-status.ts';

/** etcd's own view over gRPC, read at the end of each window. */
export function createEtcdStatusSource(req: CollectRequest): MetricSource {
  const spec = req.etcd as NonNullable<CollectRequest['etcd']>;
  return {
    kind: 'etcd-status',
    provides: 'status',
    live: false,
    async collect() {
      try {
        const r = await collectEtcdStatus({ endpoints: spec.endpoints, ...(spec.tls ? { tls: spec.tls } : {}), ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}) });
        return { status: r.status, problems: r.problems };
      } catch (e) {
        return { status: null, problems: [{ source: 'etcd', kind: 'other', message: describeError(e) }] };
      }
    },
    close: async () => {},
  };
}
