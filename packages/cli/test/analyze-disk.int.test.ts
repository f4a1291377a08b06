import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labFault, labHeal } from '@etcd-analyzer/lab';
import { withLab, type LabFixture } from '@etcd-analyzer/testkit';
import { analyzeLab, summary } from './run-cli.ts';

// A real lab under steady load: healthy first, then database faults, then a slow follower disk.
let lab: LabFixture;
const sleep = (s: number): Promise<void> => new Promise((r) => setTimeout(r, s * 1000));

beforeAll(async () => {
  lab = await withLab({ load: 100, quotaBytes: 256 * 1024 * 1024 });
  await sleep(60);
});
afterAll(async () => lab?.down());

describe('analyze against a real lab', () => {
  it('a healthy cluster under steady load is healthy: exit 0, no warning or critical finding', async () => {
    const { code, report } = await analyzeLab(lab.dir, '60s');
    expect(report.findings, summary(report)).toEqual([]);
    expect(report.status).toBe('healthy');
    expect(code).toBe(0);
    expect(report.members.filter((m) => m.present)).toHaveLength(3);
    expect(report.kpis.find((k) => k.id === 'walFsyncP99')?.value).toBeGreaterThan(0);
  });

  it('fragmentation -> fragmentation finding with a defrag recommendation', async () => {
    await labFault('fragmentation', { dir: lab.dir });
    await sleep(12);
    const { code, report } = await analyzeLab(lab.dir, '60s');
    const f = report.findings.filter((x) => x.rule === 'dbFragmentation');
    expect(f.length, summary(report)).toBeGreaterThan(0);
    expect(report.recommendations.some((r) => /defrag/.test(r.command ?? ''))).toBe(true);
    expect(code).toBeGreaterThanOrEqual(1);
    await labHeal({ dir: lab.dir });
  });

  it('quota -> DB space finding and a space root cause', async () => {
    await labFault('quota', { dir: lab.dir, fill: 0.9 });
    await sleep(12);
    const { report } = await analyzeLab(lab.dir, '60s');
    expect(report.findings.some((x) => x.rule === 'dbQuota' || x.rule === 'noSpaceAlarm'), summary(report)).toBe(true);
    expect(report.rootCauses.some((c) => c.id === 'space')).toBe(true);
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
