/**
 * pnpm bench:collect — full-catalog collection from the lab's Prometheus over a 1 h window
 * (wall time, median of 5; requests per run), and the CPU time of a 1-minute direct collection.
 * Targets (issue 2): under 1 s wall, at most one request per catalog metric.
 */
import { CATALOG, OPENSHIFT_SELECTORS } from '@etcd-analyzer/shared/catalog';
import { collectSnapshot } from '@etcd-analyzer/shared/sources';
import { benchLab, median, ms } from './bench-lab.ts';

const lab = await benchLab(60);
try {
  const walls: number[] = [];
  let requests = 0;
  let series = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const s = await collectSnapshot({ cluster: 'lab', selectors: OPENSHIFT_SELECTORS, durationSeconds: 3600, prometheus: { url: lab.prometheusUrl } });
    walls.push(performance.now() - t0);
    requests = s.stats.requests;
    series = s.series.length;
  }
  console.log(`prometheus, full catalog (${CATALOG.length} metrics), 1 h window:`);
  console.log(`  wall time median of 5: ${ms(median(walls))}   (runs: ${walls.map(ms).join(', ')})`);
  console.log(`  requests per collection: ${requests} (${(requests / CATALOG.length).toFixed(2)} per catalog metric); series: ${series}`);

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const d = await collectSnapshot({
    cluster: 'lab',
    selectors: OPENSHIFT_SELECTORS,
    durationSeconds: 60,
    direct: {
      targets: [...lab.metricsUrls.map((m) => ({ entity: m.name, url: m.url, scope: 'member' as const })), { entity: 'lab-node', url: `${lab.nodeExporterUrl}/metrics`, scope: 'node' as const }],
      intervalSeconds: 5,
    },
  });
  const cpu = process.cpuUsage(cpu0);
  console.log(`direct, 1 minute at 5 s over ${lab.metricsUrls.length} members + node_exporter:`);
  console.log(`  CPU time: ${ms((cpu.user + cpu.system) / 1000)} (user ${ms(cpu.user / 1000)}, system ${ms(cpu.system / 1000)}) over ${ms(performance.now() - t0)} wall; ${d.stats.requests} scrapes, ${d.series.length} series`);
} finally {
  await lab.close();
}
