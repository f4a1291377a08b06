import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeError, LabError } from '@etcd-analyzer/shared/errors';
import { detectEtcdVersion, findOnPath, nodeExporterDisableFlags, nodeExporterHelp } from './binaries.ts';
import { waitForLeader } from './cluster.ts';
import { ELECTION_TIMEOUT_MS, HEARTBEAT_MS, planMembers } from './etcd-args.ts';
import { labDown } from './lab-down.ts';
import { parseIntegerIn, parseNonNegative, parseQuotaBytes } from './options.ts';
import { helperScript, labPaths, nodeArgs } from './paths.ts';
import { readPeerProxyAck, writeJsonAtomic, type PeerProxyConfig } from './peer-proxy-config.ts';
import { assertPortsFree, LAB_HOST, MAX_MEMBERS, portLayout, portUses, url } from './ports.ts';
import { isOurs, sleep, spawnDetached } from './processes.ts';
import { renderPrometheusConfig } from './prometheus-config.ts';
import { waitForReady, waitForTargetsUp } from './prometheus-api.ts';
import { allProcesses, labStatePath, memberProcess, readLabState, writeLabState, type LabState } from './state.ts';

export interface LabUpOptions {
  readonly dir: string;
  /** Number of etcd members, 1 to 9 (default 3). */
  readonly members?: number;
  /** First port of the lab's block of 100 (default 23790); see ports.ts for the layout. */
  readonly basePort?: number;
  /** Steady writes per second from a detached load generator (default 0: none). */
  readonly load?: number;
  /** etcd --quota-backend-bytes; needed by the quota fault. */
  readonly quotaBytes?: number;
  readonly onProgress?: (message: string) => void;
}

export const DEFAULT_BASE_PORT = 23790;

function checked(name: string, r: { ok: true; value: number } | { ok: false; message: string }): number {
  if (!r.ok) throw new LabError(`${name}: ${r.message}`, { option: name });
  return r.value;
}

/** The state of an earlier lab in DIR, if any; refuses a DIR whose lab still runs. */
function previousLab(dir: string): LabState | undefined {
  if (!existsSync(labStatePath(dir))) {
    if (existsSync(join(dir, 'etcd-0', 'data'))) throw new LabError(`${dir} holds etcd data but no lab.json; use an empty directory for a new lab`, { dir });
    return undefined;
  }
  let old: LabState;
  try {
    old = readLabState(dir);
  } catch (e) {
    throw new LabError(`${labStatePath(dir)} is unreadable, so the lab cannot tell whether its processes still run: ${describeError(e)}; stop them and remove the file, or use another --dir`, { dir });
  }
  const live = allProcesses(old).filter(isOurs);
  if (live.length) throw new LabError(`${dir} already holds a running lab (${live.map((p) => `${p.what} pid ${p.pid}`).join(', ')}); run: etcd-analyzer lab down --dir ${dir}`, { dir });
  return old;
}

/** Clears what a stopped lab left (data, logs, state), so every start is fresh. */
function clearPreviousLab(dir: string, old: LabState): void {
  for (const m of old.members) rmSync(join(m.dataDir, '..'), { recursive: true, force: true });
  for (const m of old.members) for (const f of [m.logFile, m.outFile]) rmSync(f, { force: true });
  const p = labPaths(dir);
  for (const path of [p.prometheusData, p.faults, p.prometheusLog, p.nodeExporterLog, p.peerProxyLog, p.loadLog, `${p.peerProxyConfig}.ack`]) rmSync(path, { recursive: true, force: true });
  rmSync(labStatePath(dir), { force: true });
}

/**
 * Starts a local etcd cluster with Prometheus, node_exporter, a peer proxy per member and an
 * optional write load, all detached so they outlive the caller. Returns once there is a leader
 * and Prometheus has scraped every member.
 */
export async function labUp(opts: LabUpOptions): Promise<LabState> {
  const progress = opts.onProgress ?? (() => undefined);
  const memberCount = checked('members', parseIntegerIn(opts.members ?? 3, 1, MAX_MEMBERS));
  const basePort = checked('basePort', parseIntegerIn(opts.basePort ?? DEFAULT_BASE_PORT, 1024, 65436));
  const load = checked('load', parseNonNegative(opts.load ?? 0, 100_000));
  const quotaBytes = opts.quotaBytes === undefined ? undefined : checked('quotaBytes', parseQuotaBytes(opts.quotaBytes));
  const dir = resolve(opts.dir);

  const bins = {
    etcd: findOnPath(['etcd'], 'etcd'),
    prometheus: findOnPath(['prometheus'], 'prometheus'),
    nodeExporter: findOnPath(['prometheus-node-exporter', 'node_exporter'], 'node_exporter'),
  };
  const version = await detectEtcdVersion(bins.etcd);
  const layout = portLayout(basePort, memberCount);
  const old = previousLab(dir);
  await assertPortsFree(portUses(layout));
  mkdirSync(dir, { recursive: true });
  if (old) clearPreviousLab(dir, old);
  const paths = labPaths(dir);
  mkdirSync(paths.faults, { recursive: true });
  mkdirSync(paths.nodeExporterTextfiles, { recursive: true });

  const plans = planMembers({ dir, layout, clusterToken: `lab-${randomBytes(4).toString('hex')}`, ...(quotaBytes ? { quotaBytes } : {}) });
  const state: LabState = {
    schemaVersion: 1,
    dir,
    createdAt: new Date().toISOString(),
    etcdVersion: version.text,
    basePort,
    heartbeatMs: HEARTBEAT_MS,
    electionTimeoutMs: ELECTION_TIMEOUT_MS,
    quotaBytes: quotaBytes ?? null,
    loadOpsPerSecond: load,
    members: [],
    prometheusUrl: url(layout.prometheus),
    nodeExporterUrl: url(layout.nodeExporter),
    peerProxyConfig: paths.peerProxyConfig,
    helpers: [],
    faults: [],
  };

  try {
    progress(`peer proxies on ${layout.members.map((m) => m.proxy).join(', ')}`);
    const proxyConfig: PeerProxyConfig = { generation: 1, routes: plans.map((p, i) => ({ member: p.name, listenPort: layout.members[i]!.proxy, targetPort: layout.members[i]!.peer, delayMs: 0 })) };
    writeJsonAtomic(paths.peerProxyConfig, proxyConfig);
    const proxy = await spawnDetached(process.execPath, nodeArgs(helperScript('peer-proxy'), [paths.peerProxyConfig]), { logFile: paths.peerProxyLog });
    state.helpers.push({ ...proxy, role: 'peer-proxy', logFile: paths.peerProxyLog });
    writeLabState(state);
    await waitUntil(() => readPeerProxyAck(paths.peerProxyConfig)?.pid === proxy.pid, 15_000, `the peer proxy did not start; see ${paths.peerProxyLog}`);

    progress(`etcd ${version.text}: starting ${memberCount} member(s) on client ports ${layout.members.map((m) => m.client).join(', ')}`);
    for (const plan of plans) {
      mkdirSync(plan.dataDir, { recursive: true, mode: 0o700 });
      const args = [bins.etcd, ...plan.flags];
      const ref = await spawnDetached(bins.etcd, plan.flags, { logFile: plan.outFile });
      const { flags: _flags, ...rest } = plan;
      state.members.push({ ...rest, pid: ref.pid, startTime: ref.startTime, args });
    }
    writeLabState(state);
    const leader = await waitForLeader(state, 60_000);
    assertMembersRunning(state);
    progress(`leader elected: ${leader.name}`);

    const neFlags = nodeExporterDisableFlags(await nodeExporterHelp(bins.nodeExporter));
    const ne = await spawnDetached(bins.nodeExporter, [`--web.listen-address=${LAB_HOST}:${layout.nodeExporter}`, `--collector.textfile.directory=${paths.nodeExporterTextfiles}`, ...neFlags], { logFile: paths.nodeExporterLog });
    state.helpers.push({ ...ne, role: 'node-exporter', logFile: paths.nodeExporterLog });
    writeFileSync(paths.prometheusConfig, renderPrometheusConfig(layout.members.map((m, i) => ({ address: `${LAB_HOST}:${m.metrics}`, member: plans[i]!.name })), `${LAB_HOST}:${layout.nodeExporter}`));
    const prom = await spawnDetached(bins.prometheus, [`--config.file=${paths.prometheusConfig}`, `--storage.tsdb.path=${paths.prometheusData}`, `--web.listen-address=${LAB_HOST}:${layout.prometheus}`, '--web.enable-lifecycle'], { logFile: paths.prometheusLog });
    state.helpers.push({ ...prom, role: 'prometheus', logFile: paths.prometheusLog });
    writeLabState(state);
    progress(`prometheus on ${state.prometheusUrl}, node_exporter on ${state.nodeExporterUrl}`);

    if (load > 0) {
      const gen = await spawnDetached(process.execPath, nodeArgs(helperScript('load-generator'), [String(load), state.members.map((m) => m.clientUrl).join(',')]), { logFile: paths.loadLog });
      state.helpers.push({ ...gen, role: 'load', logFile: paths.loadLog });
      writeLabState(state);
      progress(`write load: ${load} puts/s`);
    }

    assertMembersRunning(state);
    await waitForReady(state.prometheusUrl, 60_000);
    progress('waiting for the first Prometheus scrape of every member');
    await waitForTargetsUp(state.prometheusUrl, 'etcd', 'pod', plans.map((p) => p.name), 60_000);
    await waitForTargetsUp(state.prometheusUrl, 'node-exporter', 'instance', ['lab-node'], 30_000);
    progress('lab is up');
    return state;
  } catch (e) {
    progress(`start failed, stopping what was started: ${describeError(e)}`);
    await labDown({ dir }).catch(() => undefined);
    throw e;
  }
}

/** A quorum elects a leader without the member that died at start (a port taken meanwhile): say so now. */
function assertMembersRunning(state: LabState): void {
  const dead = state.members.filter((m) => !isOurs(memberProcess(m)));
  if (dead.length === 0) return;
  throw new LabError(`${dead.map((m) => `${m.name} exited: ${lastError(m.logFile)}`).join('; ')}`, { dir: state.dir });
}

/** The last error etcd logged (zap JSON or plain text), for a one-line reason. */
function lastError(logFile: string): string {
  const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').trimEnd().split('\n') : [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    try {
      const j = JSON.parse(line) as { error?: unknown; msg?: unknown };
      if (typeof j.error === 'string') return `${String(j.msg)}: ${j.error}`;
    } catch {
      if (/error|fatal|panic/i.test(line)) return line.slice(0, 300);
    }
  }
  return `no error in ${logFile}`;
}

async function waitUntil(check: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new LabError(message);
    await sleep(100);
  }
}
