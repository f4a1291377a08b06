/**
 * pnpm bench:logs — reads a generated 1 GiB etcd log through readLogEvents and prints wall time,
 * CPU time, lines/s and peak RSS (target: under 300 MB whatever the size).
 *
 * The log is what `oc logs -l app=etcd --prefix` gives for a three-member 3.5 cluster: zap JSON
 * lines of etcd's own wording (fixtures/README.md cites them), members interleaved, mostly
 * ordinary lines (traces, request stats, compaction and raft chatter) with about 5 % events
 * (slow fdatasync and applies, heartbeats, read index waits, peer outages, elections, defrags).
 * It is generated from a fixed seed in /dev/shm (else the temp dir), read in a fresh process so
 * the RSS figure is the reader's alone, and deleted afterwards.
 *
 *   node bench/inputs-logs.bench.ts [--size-mb 1024] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, rmSync, statfsSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { readLogEvents } from '../src/sources/logs/index.ts';

const MiB = 1024 * 1024;

interface ReadFigures {
  wallMs: number;
  cpuMs: number;
  maxRssMiB: number;
  lines: number;
  events: number;
  kept: number;
  unknown: number;
  members: string[];
}

/** Child mode: read the file and report; nothing else lives in this process. */
async function readMode(file: string): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await readLogEvents({ files: [file] });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const figures: ReadFigures = {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    lines: r.stats.lines,
    events: r.counts.reduce((n, c) => n + c.count, 0),
    kept: r.events.length,
    unknown: r.files[0]?.unknown ?? -1,
    members: [...new Set(r.counts.map((c) => c.member ?? '?'))],
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** mulberry32: a small seeded generator, so every run reads the same log. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MEMBERS = [
  { pod: 'etcd-master-0', id: '8e9e05c52164694d', ip: '10.0.0.10' },
  { pod: 'etcd-master-1', id: '63b75c3d731594fc', ip: '10.0.0.11' },
  { pod: 'etcd-master-2', id: '2f1ac5b8e4d09b37', ip: '10.0.0.12' },
];

function* logLines(targetBytes: number): Generator<string> {
  const rnd = random(0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const dur = (minMs: number, spreadMs: number): string => `${(minMs + rnd() * spreadMs).toFixed(6)}ms`;
  let t = Date.UTC(2024, 5, 10, 0, 0, 0);
  let bytes = 0;
  let term = 7;
  let rev = 1_200_000;
  while (bytes < targetBytes) {
    t += Math.floor(rnd() * 40);
    const m = pick(MEMBERS);
    const other = pick(MEMBERS.filter((x) => x !== m));
    const ts = new Date(t).toISOString().replace('Z', '123Z');
    const zap = (level: string, caller: string, msg: string, f: Record<string, unknown> = {}): string => JSON.stringify({ level, ts, caller, msg, ...f });
    const r = rnd();
    let line: string;
    if (r < 0.3) {
      const key = `/registry/${pick(['pods', 'configmaps', 'leases', 'events', 'secrets'])}/${pick(['openshift-etcd', 'kube-system', 'default'])}/`;
      line = zap('info', 'traceutil/trace.go:171', `trace[${Math.floor(rnd() * 2e9)}] range`, {
        detail: `{range_begin:${key}; range_end:${key}0; response_count:${Math.floor(rnd() * 900)}; response_revision:${rev}; }`,
        duration: dur(100, 80),
        start: ts,
        end: ts,
        steps: [`trace[1] 'range keys from in-memory index tree'  (duration: ${dur(20, 30)})`, `trace[1] 'range keys from bolt db'  (duration: ${dur(60, 50)})`],
        step_count: 2,
      });
    } else if (r < 0.55) {
      line = zap('warn', 'v3rpc/interceptor.go:197', 'request stats', {
        'start time': ts,
        'time spent': dur(100, 400),
        remote: `${other.ip}:${40000 + Math.floor(rnd() * 20000)}`,
        'response type': '/etcdserverpb.KV/Range',
        'request count': 0,
        'request size': 36,
        'response count': Math.floor(rnd() * 2000),
        'response size': Math.floor(rnd() * 5e6),
        'request content': 'key:"/registry/pods/" range_end:"/registry/pods0" ',
      });
    } else if (r < 0.7) {
      line = zap('info', 'mvcc/index.go:214', 'compact tree index', { revision: (rev += 1000) });
    } else if (r < 0.8) {
      line = JSON.stringify({ level: 'info', ts, logger: 'raft', caller: 'etcdserver/zap_raft.go:77', msg: `${m.id} [logterm: ${term}, index: ${rev}, vote: 0] cast MsgPreVote for ${other.id} [logterm: ${term}, index: ${rev + 1}] at term ${term}` });
    } else if (r < 0.88) {
      line = zap('info', 'mvcc/hash.go:137', 'storing new hash', { hash: Math.floor(rnd() * 4e9), revision: rev, 'compact-revision': rev - 1000 });
    } else if (r < 0.95) {
      line = zap('info', 'etcdserver/server.go:1463', 'saved snapshot', { 'snapshot-index': rev });
    } else {
      // The events, about one line in twenty.
      const e = rnd();
      if (e < 0.3) line = zap('warn', 'wal/wal.go:805', 'slow fdatasync', { took: dur(1000, 1500), 'expected-duration': '1s' });
      else if (e < 0.55)
        line = zap('warn', 'etcdserver/util.go:170', 'apply request took too long', {
          took: dur(100, 900),
          'expected-duration': '100ms',
          prefix: pick(['read-only range ', '']),
          request: 'key:"/registry/pods/" range_end:"/registry/pods0" ',
          response: `range_response_count:${Math.floor(rnd() * 2000)} size:${Math.floor(rnd() * 5e6)}`,
        });
      else if (e < 0.7) line = zap('warn', 'etcdserver/raft.go:369', 'leader failed to send out heartbeat on time; took too long, leader is overloaded likely from slow disk', { to: other.id, 'heartbeat-interval': '100ms', 'expected-duration': '200ms', 'exceeded-duration': dur(10, 300) });
      else if (e < 0.8) line = zap('warn', 'etcdserver/v3_server.go:815', 'waiting for ReadIndex response took too long, retrying', { 'sent-request-id': 13176832041700219000, 'retry-timeout': '500ms' });
      else if (e < 0.86) line = zap('warn', 'rafthttp/stream.go:421', 'lost TCP streaming connection with remote peer', { 'stream-reader-type': 'stream Message', 'local-member-id': m.id, 'remote-peer-id': other.id, error: 'EOF' });
      else if (e < 0.9) line = zap('warn', 'rafthttp/peer_status.go:66', 'peer became inactive (message send to peer failed)', { 'peer-id': other.id, error: `failed to read ${other.id} on stream Message (EOF)` });
      else if (e < 0.94) line = zap('info', 'rafthttp/peer_status.go:53', 'peer became active', { 'peer-id': other.id });
      else if (e < 0.97) line = zap('warn', 'rafthttp/probing_status.go:68', 'prober detected unhealthy status', { 'round-tripper-name': 'ROUND_TRIPPER_RAFT_MESSAGE', 'remote-peer-id': other.id, rtt: '0s', error: `dial tcp ${other.ip}:2380: i/o timeout` });
      else if (e < 0.99) line = JSON.stringify({ level: 'info', ts, logger: 'raft', caller: 'etcdserver/zap_raft.go:77', msg: `raft.node: ${m.id} elected leader ${other.id} at term ${(term += 1)}` });
      else line = zap('info', 'mvcc/kvstore_compaction.go:68', 'finished scheduled compaction', { 'compact-revision': rev, took: dur(100, 200), hash: 1, 'current-db-size-bytes': 99495936, 'current-db-size-in-use-bytes': 62197760 });
    }
    const out = `[pod/${m.pod}/etcd] ${line}\n`;
    bytes += Buffer.byteLength(out);
    yield out;
  }
}

async function generate(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 4 * MiB });
  let batch = '';
  for (const line of logLines(bytes)) {
    batch += line;
    if (batch.length >= MiB && !out.write(batch)) await once(out, 'drain');
    if (batch.length >= MiB) batch = '';
  }
  out.end(batch);
  await once(out, 'finish');
  return statSync(file).size;
}

function benchDir(sizeBytes: number): string {
  for (const dir of ['/dev/shm', tmpdir()]) {
    if (!existsSync(dir)) continue;
    const fs = statfsSync(dir);
    if (fs.bavail * fs.bsize > sizeBytes * 1.2) return dir;
  }
  throw new Error(`no room for a ${Math.round(sizeBytes / MiB)} MiB log in /dev/shm or ${tmpdir()}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--read') return readMode(args[1] as string);
  const sizeAt = args.indexOf('--size-mb');
  const sizeMiB = sizeAt >= 0 ? Number(args[sizeAt + 1]) : 1024;
  if (!Number.isFinite(sizeMiB) || sizeMiB <= 0) throw new Error(`--size-mb must be a positive number, got ${args[sizeAt + 1]}`);
  const file = join(benchDir(sizeMiB * MiB), `etcd-bench-${process.pid}.log`);
  try {
    const g0 = performance.now();
    const size = await generate(file, sizeMiB * MiB);
    console.log(`generated ${(size / MiB).toFixed(0)} MiB of kubectl --prefix zap JSON (3 members) in ${((performance.now() - g0) / 1000).toFixed(1)} s: ${file}`);
    const child = spawnSync(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, '--read', file], { encoding: 'utf8', maxBuffer: 16 * MiB });
    if (child.status !== 0) throw new Error(`reader failed (exit ${child.status}): ${child.stderr}`);
    const f = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as ReadFigures;
    console.log(`readLogEvents, one file, ${(size / MiB).toFixed(0)} MiB, ${f.lines.toLocaleString('en')} lines:`);
    console.log(`  wall ${(f.wallMs / 1000).toFixed(1)} s, ${Math.round(f.lines / (f.wallMs / 1000)).toLocaleString('en')} lines/s (${(size / MiB / (f.wallMs / 1000)).toFixed(0)} MiB/s)`);
    // On a shared machine the wall time says more about the neighbours than about the reader.
    console.log(`  CPU ${(f.cpuMs / 1000).toFixed(1)} s, ${Math.round(f.lines / (f.cpuMs / 1000)).toLocaleString('en')} lines per CPU second; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`);
    console.log(`  peak RSS ${f.maxRssMiB.toFixed(0)} MiB (target < 300 MB)`);
    console.log(`  ${f.events.toLocaleString('en')} events counted, ${f.kept} kept as evidence, ${f.unknown} unknown lines, members ${f.members.join(', ')}`);
  } finally {
    if (!args.includes('--keep')) rmSync(file, { force: true });
  }
}

await main();
