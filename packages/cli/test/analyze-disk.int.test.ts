import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labFault, labHeal } from '@etcd-analyzer/lab';
import { startCpuHogs, withLab, type CpuHogs, type LabFixture } from '@etcd-analyzer/testkit';
import type { Report } from '@etcd-analyzer/shared/schema';
import { analyzeLab, summary } from './run-cli.ts';

// A real lab under steady load: young first, then healthy on a busy machine, then database
// faults, then a slow follower disk.
let lab: LabFixture;
let hogs: CpuHogs | undefined;
let young: { report: Report; trueRates: Map<string, number> };
const sleep = (s: number): Promise<void> => new Promise((r) => setTimeout(r, s * 1000));

/** Commits per second from the raw counter samples of the last 30 s: the truth to compare with. */
async function rawCommitRates(prometheusUrl: string): Promise<Map<string, number>> {
  const res = await fetch(`${prometheusUrl}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: 'etcd_server_proposals_committed_total[30s]' }) });
  const body = (await res.json()) as { data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
  const out = new Map<string, number>();
  for (const s of body.data.result) {
    const a = s.values[0]!;
    const b = s.values[s.values.length - 1]!;
    out.set(s.metric.pod!, (Number(b[1]) - Number(a[1])) / (b[0] - a[0]));
  }
  return out;
}

beforeAll(async () => {
  lab = await withLab({ load: 100, quotaBytes: 256 * 1024 * 1024 });
  // Two busy loops at the lowest priority from here to the end of the healthy test: the busy
  // machine a verdict must not depend on (CI shares two cores).
  hogs = startCpuHogs(2);
  // A lab younger than the 2-minute rate window and the analysis window.
  await sleep(35);
  const analysed = await analyzeLab(lab.dir, '2m');
  young = { report: analysed.report, trueRates: await rawCommitRates(lab.state.prometheusUrl) };
  await sleep(40);
});
afterAll(async () => {
  await hogs?.stop();
  await lab?.down();
});

describe('analyze against a real lab', () => {
  it('a lab younger than the rate window: commits per second match the raw counter, not a third of it', () => {
    const kpis = young.report.kpis.filter((k) => k.id === 'commitRate');
    expect(kpis).toHaveLength(3);
    for (const k of kpis) {
      const truth = young.trueRates.get(k.member!)!;
      expect(truth, `raw rate of ${k.member}`).toBeGreaterThan(20);
      expect(k.value! / truth, `${k.member}: KPI ${k.value} vs raw ${truth}`).toBeGreaterThan(0.75);
      expect(k.value! / truth).toBeLessThan(1.3);
    }
  });

  it('a healthy cluster on a busy machine is healthy: exit 0, no symptom, the node CPU listed as a risk', async () => {
    try {
      const { code, report } = await analyzeLab(lab.dir, '60s');
      expect(report.findings, summary(report)).toEqual([]);
      expect(report.status).toBe('healthy');
      expect(code).toBe(0);
      expect(report.coverage.complete).toBe(true);
      expect(report.members.filter((m) => m.present)).toHaveLength(3);
      expect(report.kpis.find((k) => k.id === 'walFsyncP99')?.value).toBeGreaterThan(0);
      // Two busy loops on two cores: the node is saturated, which is a risk and nothing more.
      const cpu = report.risks.find((f) => f.rule === 'nodeCpu');
      expect(cpu, JSON.stringify(report.risks)).toBeDefined();
      expect(cpu!.evidence[0]!.value).toBeGreaterThan(85);
      expect(report.rootCauses).toEqual([]);
    } finally {
      await hogs?.stop();
      hogs = undefined;
    }
  });

  it('fragmentation -> a risk with a defrag recommendation; no symptom, so no worse than healthy', async () => {
    await labFault('fragmentation', { dir: lab.dir });
    await sleep(12);
    const { code, report } = await analyzeLab(lab.dir, '60s');
    const f = report.risks.filter((x) => x.rule === 'dbFragmentation');
    expect(f.length, summary(report)).toBeGreaterThan(0);
    expect(report.findings.filter((x) => x.rule === 'dbFragmentation')).toEqual([]);
    expect(report.recommendations.some((r) => /defrag/.test(r.command ?? ''))).toBe(true);
    expect(code === 0 || report.findings.length > 0, summary(report)).toBe(true);
    await labHeal({ dir: lab.dir });
  });

  it('quota -> DB space finding and a space root cause', async () => {
    await labFault('quota', { dir: lab.dir, fill: 0.9 });
    await sleep(12);
    const { report } = await analyzeLab(lab.dir, '60s');
    expect(report.findings.some((x) => x.rule === 'dbQuota' || x.rule === 'noSpaceAlarm'), summary(report)).toBe(true);
    expect(report.rootCauses.some((c) => c.id.startsWith('space'))).toBe(true);
    await labHeal({ dir: lab.dir });
  });

  it('slow disk on a follower -> critical WAL fsync finding for it, its disk the first root cause', async () => {
    const fault = await labFault('slow-disk', { dir: lab.dir, delay: '40ms' });
    const slow = fault.member as string;
    try {
      await sleep(80);
      const { code, report } = await analyzeLab(lab.dir, '75s');
      expect(report.findings.find((f) => f.id === `walFsyncLatency:${slow}`)?.severity, summary(report)).toBe('critical');
      expect(report.rootCauses[0], summary(report)).toMatchObject({ id: `slowDisk:${slow}`, member: slow });
      expect(report.members.find((m) => m.name === slow)?.leader).toBe(false);
      expect(code).toBe(2);
    } finally {
      await labHeal({ dir: lab.dir });
    }
  });
});
