import { readLabState } from '@etcd-analyzer/lab';
import { withLab } from '@etcd-analyzer/testkit';

export interface BenchLab {
  readonly dir: string;
  readonly prometheusUrl: string;
  readonly metricsUrls: ReadonlyArray<{ name: string; url: string }>;
  readonly nodeExporterUrl: string;
  readonly etcdEndpoints: readonly string[];
  close(): Promise<void>;
}

/**
 * The lab a benchmark measures: BENCH_LAB_DIR reuses a running one (more history, so the 1 h
 * window holds more data); otherwise a fresh lab under load, given `warmupSeconds` of history.
 */
export async function benchLab(warmupSeconds: number): Promise<BenchLab> {
  const reuse = process.env.BENCH_LAB_DIR;
  const fixture = reuse ? null : await withLab({ load: 100 });
  const dir = reuse ?? (fixture as NonNullable<typeof fixture>).dir;
  const state = readLabState(dir);
  if (fixture) {
    process.stderr.write(`bench: fresh lab in ${dir}; gathering ${warmupSeconds} s of history\n`);
    await new Promise((r) => setTimeout(r, warmupSeconds * 1000));
  }
  return {
    dir,
    prometheusUrl: state.prometheusUrl,
    metricsUrls: state.members.map((m) => ({ name: m.name, url: `${m.metricsUrl}/metrics` })),
    nodeExporterUrl: state.nodeExporterUrl,
    etcdEndpoints: state.members.map((m) => m.clientUrl),
    close: async () => fixture?.down(),
  };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

export const ms = (x: number): string => `${x.toFixed(0)} ms`;
