import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtcdStatus } from '../src/schema/index.ts';
import { collectEtcdStatus, type EtcdTlsOptions } from '../src/sources/etcd-status/index.ts';
import { readLogEvents } from '../src/sources/logs/index.ts';

// A real three-member etcd cluster (the installed etcd 3.4 binary, zap logs to files), plus one
// TLS member with a tiny quota for the NOSPACE alarm. All on loopback ports from 25000 up.

interface Member {
  readonly name: string;
  readonly client: string;
  readonly peer: string;
  readonly log: string;
  proc: ChildProcess;
}

let dir: string;
let base: number;
const members: Member[] = [];
let solo: Member;
let tls: EtcdTlsOptions;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const b = 25000 + Math.floor(Math.random() * 90) * 10;
    if ((await Promise.all(Array.from({ length: 10 }, (_, i) => portFree(b + i)))).every(Boolean)) return b;
  }
  throw new Error('no free block of 10 loopback ports from 25000');
}

function startEtcd(name: string, args: string[]): ChildProcess {
  const stderr = openSync(join(dir, `${name}.stderr`), 'w');
  return spawn('etcd', args, { stdio: ['ignore', 'ignore', stderr] });
}

function stopped(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', () => r()));
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) {
      const stderr = members.map((m) => `${m.name}: ${readFileSync(join(dir, `${m.name}.stderr`), 'utf8').slice(-500)}`).join('\n');
      throw new Error(`timed out waiting for ${what}\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Self-signed CA, a server certificate for 127.0.0.1 and a client certificate, via openssl. */
function makeCertificates(): EtcdTlsOptions {
  const f = (n: string): string => join(dir, n);
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '1', '-subj', '/CN=etcd-analyzer-test-ca');
  for (const [who, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n'],
    ['client', 'extendedKeyUsage=clientAuth\n'],
  ] as const) {
    writeFileSync(f(`${who}.ext`), ext);
    ssl('req', ...ec, '-keyout', f(`${who}.key`), '-out', f(`${who}.csr`), '-subj', `/CN=${who}`);
    ssl('x509', '-req', '-in', f(`${who}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${who}.crt`), '-days', '1', '-extfile', f(`${who}.ext`));
  }
  return { caFile: f('ca.crt'), certFile: f('client.crt'), keyFile: f('client.key') };
}

const healthyCluster = (s: EtcdStatus): boolean => s.members.length === 3 && s.leaderAgreed === true && s.endpoints.every((e) => e.healthy);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etcd-status-'));
  base = await freeBase();
  const names = ['etcd-0', 'etcd-1', 'etcd-2'];
  const cluster = names.map((n, i) => `${n}=http://127.0.0.1:${base + 2 * i + 1}`).join(',');
  for (const [i, name] of names.entries()) {
    const client = `http://127.0.0.1:${base + 2 * i}`;
    const peer = `http://127.0.0.1:${base + 2 * i + 1}`;
    const log = join(dir, `${name}.log`);
    const proc = startEtcd(name, [
      `--name=${name}`,
      `--data-dir=${join(dir, name)}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=${cluster}`,
      '--initial-cluster-state=new',
      `--initial-cluster-token=status-test-${base}`,
      '--heartbeat-interval=100',
      '--election-timeout=1000',
      '--logger=zap',
      `--log-outputs=${log}`,
    ]);
    members.push({ name, client, peer, log, proc });
  }

  tls = makeCertificates();
  const soloClient = `https://127.0.0.1:${base + 6}`;
  const soloPeer = `http://127.0.0.1:${base + 7}`;
  solo = {
    name: 'solo',
    client: soloClient,
    peer: soloPeer,
    log: join(dir, 'solo.log'),
    proc: startEtcd('solo', [
      '--name=solo',
      `--data-dir=${join(dir, 'solo')}`,
      `--listen-client-urls=${soloClient}`,
      `--advertise-client-urls=${soloClient}`,
      `--listen-peer-urls=${soloPeer}`,
      `--initial-advertise-peer-urls=${soloPeer}`,
      `--initial-cluster=solo=${soloPeer}`,
      `--cert-file=${join(dir, 'server.crt')}`,
      `--key-file=${join(dir, 'server.key')}`,
      `--trusted-ca-file=${join(dir, 'ca.crt')}`,
      '--client-cert-auth',
      // Small enough that two writes of 80 KB fill it.
      '--quota-backend-bytes=262144',
      '--logger=zap',
      `--log-outputs=${join(dir, 'solo.log')}`,
    ]),
  };
  members.push(solo);

  await waitFor('a leader agreed by all three members', async () => {
    const { status } = await collectEtcdStatus({ endpoints: members.slice(0, 3).map((m) => m.client), timeoutMs: 2000 });
    return healthyCluster(status) ? status : undefined;
  });
  await waitFor('the TLS member', async () => ((await collectEtcdStatus({ endpoints: [solo.client], tls, timeoutMs: 2000 })).status.endpoints[0]?.healthy ? true : undefined));
});

afterAll(async () => {
  for (const m of members) if (m.proc.exitCode === null && m.proc.signalCode === null) m.proc.kill('SIGKILL');
  await Promise.all(members.map((m) => stopped(m.proc)));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('collectEtcdStatus against a real cluster', () => {
  it('reports three named members, one leader agreed by all, and each endpoint status', async () => {
    const { status, problems } = await collectEtcdStatus({ endpoints: members.slice(0, 3).map((m) => m.client) });
    expect(problems).toEqual([]);
    expect(status.members.map((m) => m.name).sort()).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
    for (const m of status.members) {
      expect(m.idHex).toBe(BigInt(m.id).toString(16));
      expect(m.clientUrls).toHaveLength(1);
      expect(m.isLearner).toBe(false);
    }
    expect(status.leaderAgreed).toBe(true);
    expect(status.members.map((m) => m.id)).toContain(status.leader?.id);
    expect(status.leader?.name).toBe(status.members.find((m) => m.id === status.leader?.id)?.name);
    expect(status.clusterId).toMatch(/^[0-9a-f]+$/);
    expect(status.raftIndexSpread).toBeGreaterThanOrEqual(0);
    expect(status.alarms).toEqual([]);
    for (const [i, e] of status.endpoints.entries()) {
      expect(e).toMatchObject({ endpoint: members[i]?.client, memberName: members[i]?.name, healthy: true, leaderId: status.leader?.id, isLearner: false });
      expect(e.version).toMatch(/^3\./);
      expect(e.dbSize).toBeGreaterThan(0);
      expect(e.dbSizeInUse).toBeGreaterThan(0);
      expect(e.dbSizeInUse).toBeLessThanOrEqual(e.dbSize ?? 0);
      expect(e.healthLatencyMs).toBeGreaterThan(0);
      expect(e.raftAppliedIndex).toBeGreaterThan(0);
    }
  });

  it('reports a closed port as unreachable, not as a timeout, next to a healthy endpoint', async () => {
    const closed = `http://127.0.0.1:${base + 9}`;
    // A long deadline: a "timeout" kind would mean the dead port was waited on instead of refused.
    const { status, problems } = await collectEtcdStatus({ endpoints: [members[0]!.client, closed], timeoutMs: 30_000 });
    expect(status.endpoints[0]?.healthy).toBe(true);
    expect(status.endpoints[1]).toMatchObject({ endpoint: closed, healthy: false, error: expect.stringContaining('ECONNREFUSED') });
    expect(problems).toEqual([{ source: 'etcd', kind: 'unreachable', message: expect.stringContaining(closed), entity: closed }]);
    expect(status.members).toHaveLength(3);
  });

  it('returns empty members and one problem per endpoint when nothing answers', async () => {
    const dead = [`http://127.0.0.1:${base + 9}`, `127.0.0.1:${base + 8}`];
    const { status, problems } = await collectEtcdStatus({ endpoints: dead, timeoutMs: 30_000 });
    expect(status.members).toEqual([]);
    expect(status.leader).toBeUndefined();
    expect(status.endpoints.map((e) => e.healthy)).toEqual([false, false]);
    expect(problems.map((p) => [p.kind, p.entity])).toEqual([
      ['unreachable', dead[0]],
      ['unreachable', `http://${dead[1]}`],
    ]);
  });

  it('speaks TLS with a CA and client certificate, and reports a server it cannot verify as a TLS problem', async () => {
    const ok = await collectEtcdStatus({ endpoints: [solo.client], tls });
    expect(ok.problems).toEqual([]);
    expect(ok.status.endpoints[0]).toMatchObject({ healthy: true, memberName: 'solo' });

    const unverified = await collectEtcdStatus({ endpoints: [solo.client], tls: { certFile: tls.certFile, keyFile: tls.keyFile }, timeoutMs: 5000 });
    expect(unverified.status.endpoints[0]?.healthy).toBe(false);
    expect(unverified.problems).toMatchObject([{ source: 'etcd', kind: 'tls', entity: solo.client }]);

    const skipped = await collectEtcdStatus({ endpoints: [solo.client], tls: { certFile: tls.certFile, keyFile: tls.keyFile, insecureSkipVerify: true } });
    expect(skipped.status.endpoints[0]?.healthy).toBe(true);
  });

  it('lists a NOSPACE alarm once the quota is exhausted, and the member log records it', async () => {
    const value = 'x'.repeat(80_000);
    const put = (key: string): Promise<string> =>
      new Promise((resolve) => {
        const child = execFile(
          'etcdctl',
          [`--endpoints=${solo.client}`, `--cacert=${tls.caFile}`, `--cert=${tls.certFile}`, `--key=${tls.keyFile}`, 'put', key],
          { env: { ...process.env, ETCDCTL_API: '3' } },
          (err, stdout, stderr) => resolve(`${stdout}${stderr}${err ? String(err) : ''}`),
        );
        child.stdin?.end(value);
      });
    let answer = '';
    for (let i = 0; i < 20 && !answer.includes('database space exceeded'); i++) answer = await put(`k${i}`);
    expect(answer).toContain('database space exceeded');

    const { status, problems } = await collectEtcdStatus({ endpoints: [solo.client], tls });
    expect(problems).toEqual([]);
    expect(status.alarms).toEqual([{ memberId: status.members[0]?.id, memberName: 'solo', alarm: 'NOSPACE' }]);
    expect(status.endpoints[0]?.errors?.join(' ')).toContain('alarm:NOSPACE');
    // Reads still go through consensus: the member is up, the alarm says why writes fail.
    expect(status.endpoints[0]?.healthy).toBe(true);

    const logs = await readLogEvents({ files: [solo.log] });
    expect(logs.events.filter((e) => e.kind === 'db-space-exceeded')).toMatchObject([{ member: 'solo', detail: { alarm: 'NOSPACE' } }]);
  });
});

describe('readLogEvents on logs a real etcd 3.4 wrote with --logger=zap', () => {
  it('finds the election on every member, named from its startup line, with nothing malformed', async () => {
    const { events, problems, stats } = await readLogEvents({ files: members.slice(0, 3).map((m) => m.log) });
    expect(problems).toEqual([]);
    expect(stats.parsed).toBe(stats.lines);
    expect(stats.skipped).toBe(0);
    const elected = events.filter((e) => e.kind === 'leader-elected');
    expect(new Set(elected.map((e) => e.member))).toEqual(new Set(['etcd-0', 'etcd-1', 'etcd-2']));
    // Every member saw the same first leader at the same term.
    expect(new Set(elected.map((e) => `${String(e.detail?.leaderId)}@${String(e.detail?.term)}`)).size).toBe(1);
  });
});

describe('a member dies', () => {
  it('reports the killed endpoint unhealthy with a problem naming the member while the others still answer', async () => {
    const first = await collectEtcdStatus({ endpoints: members.slice(0, 3).map((m) => m.client) });
    // Kill a follower: the cluster keeps its leader, so the survivors' answers are deterministic.
    const victim = members.slice(0, 3).find((m) => m.name !== first.status.leader?.name)!;
    victim.proc.kill('SIGKILL');
    await stopped(victim.proc);

    const { status, problems } = await collectEtcdStatus({ endpoints: members.slice(0, 3).map((m) => m.client), timeoutMs: 5000 });
    const dead = status.endpoints.find((e) => e.endpoint === victim.client);
    expect(dead).toMatchObject({ healthy: false, memberName: victim.name, error: expect.stringContaining('ECONNREFUSED') });
    expect(problems).toEqual([{ source: 'etcd', kind: 'unreachable', message: expect.stringContaining(victim.name), entity: victim.name }]);
    const alive = status.endpoints.filter((e) => e.endpoint !== victim.client);
    expect(alive.map((e) => e.healthy)).toEqual([true, true]);
    expect(alive.every((e) => e.version?.startsWith('3.'))).toBe(true);
    expect(status.members).toHaveLength(3);
    expect(status.leader?.name).toBe(first.status.leader?.name);
    expect(status.leaderAgreed).toBe(true);
  });
});
