import { clusterToken, openBucket, type Bus } from '@etcd-analyzer/shared/bus';

export const PROGRESS_BUCKET = 'ETCD_COLLECTOR_PROGRESS';

/** Where each cluster's last tick ended, shared by instances so a takeover goes on from there. */
export interface ProgressStore {
  get(cluster: string): Promise<number | undefined>;
  set(cluster: string, end: number): Promise<void>;
}

export async function openProgress(js: Bus['js']): Promise<ProgressStore> {
  const kv = await openBucket(js, PROGRESS_BUCKET, { history: 1, description: 'etcd-analyzer collector: end of the last tick per cluster' });
  return {
    async get(cluster) {
      const e = await kv.get(clusterToken(cluster));
      if (!e || e.operation !== 'PUT') return undefined;
      const v = Number(e.string());
      return Number.isFinite(v) ? v : undefined;
    },
    async set(cluster, end) {
      await kv.put(clusterToken(cluster), String(end));
    },
  };
}
