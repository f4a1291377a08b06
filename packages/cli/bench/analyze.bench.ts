/**
 * pnpm bench:analyze — a full analyze over a 1 h window of the lab: wall time (median of 5) warm
 * (inside a running process) and cold (the whole `bin/etcd-analyzer analyze` command), Prometheus
 * requests, peak RSS; and the same warm run behind a proxy that adds 50 ms to every request.
 * Reference (shared/reference/seed-peer.md): 92 requests, 0.35 s warm, 1.35 s cold, >= 3.5 s at 50 ms.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OPENSHIFT_SELECTORS } from '@etcd-analyzer/shared/catalog';
import { analyzeSnapshot } from '@etcd-analyzer/shared/rules';
import { renderText } from '@etcd-analyzer/shared/report';
import { collectSnapshot } from '@etcd-analyzer/shared/sources';
import { startLatencyProxy } from '@etcd-analyzer/testkit';
import { benchLab, median, ms } from './bench-lab.ts';

const BIN = fileURLToPath(new URL('../../../bin/etcd-analyzer', import.meta.url));
const lab = await benchLab(60);

async function warm(prometheusUrl: string): Promise<{ wall: number; requests: number; status: string }> {
  const t0 = performance.now();
  const s = await collectSnapshot({ cluster: 'lab', selectors: OPENSHIFT_SELECTORS, durationSeconds: 3600, prometheus: { url: prometheusUrl }, etcd: { endpoints: lab.etcdEndpoints } });
  const r = analyzeSnapshot(s, { id: 'bench', generatedAt: new Date().toISOString() });
  renderText(r, { color: false });
  return { wall: performance.now() - t0, requests: s.stats.requests, status: r.status };
}

try {
  const runs = [];
  for (let i = 0; i < 6; i++) runs.push(await warm(lab.prometheusUrl));
  const w = runs.slice(1); // the first run pays for module loading and connection set-up
  console.log('analyze, 1 h window, local Prometheus:');
  console.log(`  warm wall median of 5: ${ms(median(w.map((r) => r.wall)))}; Prometheus requests per analysis: ${w[0]!.requests}; status ${w[0]!.status}`);

  const cold: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const p = spawnSync(BIN, ['analyze', '--prometheus', lab.prometheusUrl, '--etcd', lab.etcdEndpoints.join(','), '--duration', '1h', '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, ETCD_ANALYZER_REPORT_RSS: '1', ETCD_ANALYZER_QUIET_SETUP: '1' },
    });
    cold.push(performance.now() - t0);
    const m = /max-rss-kib=(\d+)/.exec(p.stderr);
    if (m) rss.push(Number(m[1]) / 1024);
    if (p.status === 3 || p.status === null) throw new Error(`analyze failed (exit ${p.status}): ${p.stderr}`);
  }
  console.log(`  cold command wall median of 5: ${ms(median(cold))} (runs: ${cold.map(ms).join(', ')}); peak RSS median ${median(rss).toFixed(0)} MiB`);

  const proxy = await startLatencyProxy(lab.prometheusUrl, 50);
  try {
    const slow = [];
    for (let i = 0; i < 6; i++) slow.push(await warm(proxy.url));
    console.log('analyze behind a proxy adding 50 ms to every Prometheus request:');
    console.log(`  warm wall median of 5: ${ms(median(slow.slice(1).map((r) => r.wall)))}; requests ${slow[1]!.requests}`);
  } finally {
    await proxy.close();
  }
} finally {
  await lab.close();
}
