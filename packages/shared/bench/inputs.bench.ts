/**
 * pnpm bench:inputs — what the metric sources cost on inputs of real size (issue 8, §4):
 * - `--direct` at its defaults, 15 min at 5 s over 3 members + node_exporter, replayed from
 *   recorded scrapes through the real parser and evaluation with a clock that jumps (no 15-minute
 *   wait): CPU after the last scrape (target: well under 5 s), total CPU, peak RSS;
 * - a 200 MB Prometheus answer served by a loopback HTTP server to the real client and
 *   collectPrometheus: wall, CPU, peak RSS; once as a store that ignores start, end and step (days
 *   of 1 s samples, the window's kept), once as tens of thousands of series (the limits cut it).
 * Each case runs in its own process, so its peak RSS is its own; the answer server runs in this one.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CATALOG, OPENSHIFT_SELECTORS } from '../src/catalog/index.ts';
import { collectDirect, parseExposition, type DirectTarget } from '../src/sources/direct/index.ts';
import { collectPrometheus, createPrometheusClient } from '../src/sources/prometheus/index.ts';
import { startLargeAnswerServer, type AnswerShape } from './large-answer-server.ts';
import { recordedLab } from './recorded-scrapes.ts';

const MB = 1024 * 1024;
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;
const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

async function directCase(): Promise<Record<string, number | string>> {
  const lab = recordedLab();
  const targets: DirectTarget[] = lab.map((t) => ({ entity: t.name, url: `http://recorded/${t.name}/metrics`, scope: t.scope }));
  const rounds = new Map<string, number>();
  const intervalSeconds = 5;
  const durationSeconds = 15 * 60;
  const total = (Math.floor(durationSeconds / intervalSeconds) + 1) * targets.length;
  let done = 0;
  let afterLast: NodeJS.CpuUsage | undefined;
  let clockMs = 1_700_000_000_000;
  const rssBefore = process.memoryUsage().rss / MB;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await collectDirect({
    targets,
    metrics: CATALOG,
    intervalSeconds,
    durationSeconds,
    clock: { now: () => clockMs, sleep: async (ms) => void (clockMs += ms) },
    scrape: async (target, opts) => {
      const i = rounds.get(target.entity) ?? 0;
      rounds.set(target.entity, i + 1);
      const text = (lab.find((t) => t.name === target.entity) as (typeof lab)[number]).text(i);
      const data = parseExposition(text, opts.keep ? { keep: opts.keep } : {});
      if (++done === total) afterLast = process.cpuUsage();
      return data;
    },
  });
  const cpu = process.cpuUsage(cpu0);
  const points = r.series.reduce((a, s) => a + s.points.length, 0);
  return {
    scrapes: r.requests,
    series: r.series.length,
    points,
    problems: r.problems.length,
    cpuAfterLastScrapeMs: afterLast ? cpuMs(process.cpuUsage(afterLast)) : Number.NaN,
    cpuTotalMs: cpuMs(cpu),
    wallMs: performance.now() - t0,
    rssBeforeMb: rssBefore,
    peakRssMb: peakRssMb(),
  };
}

async function prometheusCase(url: string): Promise<Record<string, number | string>> {
  const end = 1_700_000_000;
  const rssBefore = process.memoryUsage().rss / MB;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const client = createPrometheusClient({ url, retries: 0, timeoutMs: 600_000 });
  const r = await collectPrometheus({ client, metrics: CATALOG, selectors: OPENSHIFT_SELECTORS, detectMemberLabel: true, start: end - 900, end, stepSeconds: 15 });
  await client.close();
  const cpu = process.cpuUsage(cpu0);
  return {
    requests: client.requests,
    series: r.series.length,
    points: r.series.reduce((a, s) => a + s.points.length, 0),
    problems: r.problems.map((p) => `${p.kind}: ${p.message.slice(0, 160)}`).join(' | ') || 'none',
    cpuTotalMs: cpuMs(cpu),
    wallMs: performance.now() - t0,
    rssBeforeMb: rssBefore,
    peakRssMb: peakRssMb(),
  };
}

/** Runs one case in a fresh Node process and returns the figures it printed. */
function child(args: string[]): Promise<Record<string, number | string>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, number | string>) : reject(new Error(`bench case ${args.join(' ')} exited ${code}`))));
  });
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'direct') {
  process.stdout.write(JSON.stringify(await directCase()));
} else if (mode === 'prometheus') {
  process.stdout.write(JSON.stringify(await prometheusCase(arg as string)));
} else {
  const d = await child(['direct']);
  console.log('direct, 15 min at 5 s, 3 etcd 3.4 members + node_exporter, replayed from recorded scrapes:');
  console.log(`  CPU after the last scrape: ${fmt(d.cpuAfterLastScrapeMs as number)}   (target: well under 5 s)`);
  console.log(`  whole collection: CPU ${fmt(d.cpuTotalMs as number)} (parsing ${d.scrapes} scrapes included), wall ${fmt(d.wallMs as number)}`);
  console.log(`  peak RSS ${(d.peakRssMb as number).toFixed(0)} MiB (${(d.rssBeforeMb as number).toFixed(0)} MiB before); ${d.series} series, ${d.points} points, ${d.problems} problems`);
  for (const shape of ['stale', 'wide'] as AnswerShape[]) {
    const server = await startLargeAnswerServer(shape, 200 * MB);
    try {
      const p = await child(['prometheus', server.url]);
      const what = shape === 'stale' ? 'one answer of days of 1 s samples; the window kept, one per step' : 'answers of ~15 000 series per metric for one batch of metrics, cut at the limits';
      console.log(`prometheus, full catalog over 15 min, ${(server.largeBytesSent() / MB).toFixed(0)} MB read (${what}):`);
      console.log(`  wall ${fmt(p.wallMs as number)}, CPU ${fmt(p.cpuTotalMs as number)}, peak RSS ${(p.peakRssMb as number).toFixed(0)} MiB (${(p.rssBeforeMb as number).toFixed(0)} MiB before)`);
      console.log(`  ${p.requests} requests, ${p.series} series, ${p.points} points kept; problems: ${p.problems}`);
    } finally {
      await server.close();
    }
  }
}
