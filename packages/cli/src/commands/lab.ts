import type { Command } from 'commander';
// Only the option parsers load up front; the lab itself (processes, faults) loads in the actions.
import { FAULT_OPTIONS, parseDelayMs, parseFaultKind, parseFill, parseIntegerIn, parseNonNegative, parseQuotaBytes, type Parsed } from '@etcd-analyzer/lab/options';
import { MAX_MEMBERS } from '@etcd-analyzer/lab/ports';
import { FAULT_KINDS, type LabState } from '@etcd-analyzer/lab/state';
import type * as Lab from '@etcd-analyzer/lab';

const loadLab = (): Promise<typeof Lab> => import('@etcd-analyzer/lab');
import { ConfigError } from '@etcd-analyzer/shared/errors';

/** A flag's value or a ConfigError naming the flag (the program maps it to exit 2). */
function flag<T>(name: string, r: Parsed<T>): T {
  if (!r.ok) throw new ConfigError(`--${name}: ${r.message}`, { flag: name });
  return r.value;
}

const progress = (m: string): void => void process.stderr.write(`lab: ${m}\n`);
const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const mib = (b: number | null): string => (b === null ? '-' : `${(b / 1024 / 1024).toFixed(1)} MiB`);

/** The part of the state a script needs to reach the lab. */
export function labUpSummary(s: LabState): object {
  return {
    dir: s.dir,
    etcdVersion: s.etcdVersion,
    members: s.members.map((m) => ({ name: m.name, clientUrl: m.clientUrl, peerUrl: m.peerUrl, advertisedPeerUrl: m.advertisedPeerUrl, metricsUrl: m.metricsUrl, pid: m.pid, dataDir: m.dataDir, logFile: m.logFile })),
    prometheusUrl: s.prometheusUrl,
    nodeExporterUrl: s.nodeExporterUrl,
  };
}

function renderUp(s: LabState): string {
  const lines = [`etcd ${s.etcdVersion} lab in ${s.dir}`];
  for (const m of s.members) lines.push(`  ${m.name.padEnd(8)} client ${m.clientUrl}  metrics ${m.metricsUrl}  peer ${m.advertisedPeerUrl} (proxy of ${m.peerUrl})  pid ${m.pid}`);
  lines.push(`  prometheus    ${s.prometheusUrl}`, `  node_exporter ${s.nodeExporterUrl}`);
  if (s.loadOpsPerSecond > 0) lines.push(`  write load    ${s.loadOpsPerSecond}/s`);
  lines.push('', `analyse it:  etcd-analyzer analyze --lab ${s.dir}`, `stop it:     etcd-analyzer lab down --dir ${s.dir}`);
  return lines.join('\n');
}

export function renderStatus(s: Lab.LabStatus): string {
  const stopped = !s.members.some((m) => m.running) && !s.helpers.some((h) => h.running);
  const lines = [`etcd ${s.etcdVersion} lab in ${s.dir}; ${stopped ? 'stopped (start it again with lab up)' : `leader: ${s.leader ?? 'none'}`}`];
  lines.push(`  ${'member'.padEnd(8)} ${'state'.padEnd(8)} ${'pid'.padStart(7)} ${'db size'.padStart(10)} ${'in use'.padStart(10)}  client`);
  for (const m of s.members) {
    const state = !m.running ? 'down' : m.paused ? 'paused' : m.leader ? 'leader' : m.error ? 'no reply' : 'follower';
    lines.push(`  ${m.name.padEnd(8)} ${state.padEnd(8)} ${String(m.pid).padStart(7)} ${mib(m.dbSize).padStart(10)} ${mib(m.dbSizeInUse).padStart(10)}  ${m.clientUrl}`);
  }
  lines.push(`  prometheus ${s.prometheusUrl}   node_exporter ${s.nodeExporterUrl}`);
  const helpersDown = s.helpers.filter((h) => !h.running).map((h) => h.role);
  if (helpersDown.length) lines.push(`  not running: ${helpersDown.join(', ')}`);
  lines.push(s.faults.length ? 'active faults:' : 'active faults: none');
  for (const f of s.faults) lines.push(`  ${f.kind}${f.member ? ` on ${f.member}` : ''} since ${f.since}: ${f.detail}`);
  return lines.join('\n');
}

interface UpFlags {
  dir: string;
  members: string;
  basePort: string;
  load: string;
  quotaBytes?: string;
  json?: boolean;
}

interface FaultFlags {
  dir: string;
  member?: string;
  delay?: string;
  fill?: string;
}

/** `lab up|fault|heal|status|down`: a real local etcd cluster with fault injection. */
export function registerLab(program: Command): void {
  const lab = program.command('lab').description('a real local etcd cluster with Prometheus, node_exporter, write load and fault injection');

  lab
    .command('up')
    .description('start etcd members, peer proxies, Prometheus and node_exporter, all detached; returns when scraped')
    .requiredOption('--dir <dir>', 'directory for the lab state, data and logs')
    .option('--members <n>', `etcd members, 1 to ${MAX_MEMBERS}`, '3')
    .option('--base-port <port>', 'first of the 100 ports the lab uses (member i: base+10i..base+10i+3; prometheus base+90, node_exporter base+91)', '23790')
    .option('--load <opsPerSecond>', 'steady write load (0: none)', '0')
    .option('--quota-bytes <n>', 'etcd --quota-backend-bytes (e.g. 67108864 or 64MiB); the quota fault needs it')
    .option('--json', 'print the lab (members, URLs, pids) as one JSON object')
    .action(async (f: UpFlags) => {
      const members = flag('members', parseIntegerIn(f.members, 1, MAX_MEMBERS));
      const basePort = flag('base-port', parseIntegerIn(f.basePort, 1024, 65436));
      const load = flag('load', parseNonNegative(f.load, 100_000));
      const quotaBytes = f.quotaBytes === undefined ? undefined : flag('quota-bytes', parseQuotaBytes(f.quotaBytes));
      const state = await (await loadLab()).labUp({ dir: f.dir, members, basePort, load, ...(quotaBytes ? { quotaBytes } : {}), onProgress: progress });
      out(f.json ? JSON.stringify(labUpSummary(state)) : renderUp(state));
    });

  lab
    .command('fault <kind>')
    .description(`inject a fault: ${FAULT_KINDS.join(', ')}`)
    .requiredOption('--dir <dir>', 'lab directory')
    .option('--member <member>', 'etcd-N, leader or follower (default: a follower, for faults on one member)')
    .option('--delay <delay>', 'slow-disk (default 40ms) and peer-latency (default 100ms), e.g. 40ms, 0.5s')
    .option('--fill <fraction>', 'quota: how full to fill the database, 0 < f <= 1 (default 0.9; 1 raises NOSPACE)')
    .action(async (kind: string, f: FaultFlags) => {
      const parsed = parseFaultKind(kind);
      if (!parsed.ok) throw new ConfigError(parsed.message, { argument: 'kind' });
      const k = parsed.value;
      for (const name of ['member', 'delay', 'fill'] as const) {
        if (f[name] !== undefined && !FAULT_OPTIONS[k].includes(name)) throw new ConfigError(`--${name} does not apply to the ${k} fault`, { flag: name });
      }
      if (f.delay !== undefined) flag('delay', parseDelayMs(f.delay));
      if (f.fill !== undefined) flag('fill', parseFill(f.fill));
      const fault = await (await loadLab()).labFault(k, { dir: f.dir, ...(f.member ? { member: f.member } : {}), ...(f.delay ? { delay: f.delay } : {}), ...(f.fill ? { fill: f.fill } : {}), onProgress: progress });
      out(`${fault.kind}${fault.member ? ` on ${fault.member}` : ''}: ${fault.detail}\nheal with: etcd-analyzer lab heal --dir ${f.dir}`);
    });

  lab
    .command('heal')
    .description('remove every active fault (stop fault processes, restart members, restore affinity and peer delay, defragment, disarm alarms)')
    .requiredOption('--dir <dir>', 'lab directory')
    .action(async (f: { dir: string }) => {
      const { healed } = await (await loadLab()).labHeal({ dir: f.dir, onProgress: progress });
      out(healed.length ? `healed: ${healed.map((h) => `${h.kind}${h.member ? ` on ${h.member}` : ''}`).join(', ')}` : 'no active faults');
    });

  lab
    .command('status')
    .description('members (running, leader, db size), active faults, service URLs')
    .requiredOption('--dir <dir>', 'lab directory')
    .option('--json', 'print the status as one JSON object')
    .action(async (f: { dir: string; json?: boolean }) => {
      const s = await (await loadLab()).labStatus({ dir: f.dir });
      out(f.json ? JSON.stringify(s) : renderStatus(s));
    });

  lab
    .command('down')
    .description('stop every process the lab started (checked by pid and start time), and nothing else')
    .requiredOption('--dir <dir>', 'lab directory')
    .action(async (f: { dir: string }) => {
      const { stopped } = await (await loadLab()).labDown({ dir: f.dir, onProgress: progress });
      out(stopped.length ? `stopped ${stopped.length} process(es)` : 'nothing was running');
    });
}
