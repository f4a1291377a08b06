import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labFault, labHeal } from '@etcd-analyzer/lab';
import { withLab, type LabFixture } from '@etcd-analyzer/testkit';
import { analyzeLab, runCli, summary } from './run-cli.ts';

// A second lab, so that the leader's slow disk is judged on a clean history (WAL p99 is a 5 m
// rolling value: a fault lingers in it for 5 minutes after healing).
let lab: LabFixture;
const sleep = (s: number): Promise<void> => new Promise((r) => setTimeout(r, s * 1000));

beforeAll(async () => {
  lab = await withLab({ load: 100 });
  await sleep(45);
});
afterAll(async () => lab?.down());

describe('analyze against a real lab, consensus faults', () => {
  it('slow disk on the leader -> critical WAL fsync finding for the leader, its disk first', async () => {
    const fault = await labFault('slow-disk', { dir: lab.dir, member: 'leader', delay: '40ms' });
    const slow = fault.member as string;
    try {
      await sleep(80);
      const { report } = await analyzeLab(lab.dir, '75s');
      expect(report.findings.find((f) => f.id === `walFsyncLatency:${slow}`)?.severity, summary(report)).toBe('critical');
      expect(report.rootCauses[0], summary(report)).toMatchObject({ id: `slowDisk:${slow}`, member: slow });
    } finally {
      await labHeal({ dir: lab.dir });
    }
  });

  it('leader churn -> leader-change finding and a consensus or network cause', async () => {
    await labFault('leader-churn', { dir: lab.dir });
    try {
      await sleep(60);
      const { report } = await analyzeLab(lab.dir, '60s');
      expect(report.findings.some((f) => f.rule === 'leaderChanges'), summary(report)).toBe(true);
      expect(report.rootCauses.some((c) => c.subsystem === 'consensus' || c.subsystem === 'network'), summary(report)).toBe(true);
      expect(report.status).not.toBe('healthy');
    } finally {
      await labHeal({ dir: lab.dir });
    }
  });

  it('member down -> members-down finding, status not healthy', async () => {
    await labFault('member-down', { dir: lab.dir, member: 'etcd-1' });
    try {
      await sleep(25);
      const { code, report } = await analyzeLab(lab.dir, '60s');
      expect(report.findings.find((f) => f.id === 'membersDown:etcd-1'), summary(report)).toBeDefined();
      expect(report.status).not.toBe('healthy');
      expect(code).not.toBe(0);
      expect(report.rootCauses.some((c) => c.id === 'memberDown:etcd-1')).toBe(true);
    } finally {
      await labHeal({ dir: lab.dir });
    }
  });

  it('an unreachable source or a bad flag -> one line naming it, exit 3', async () => {
    const down = await runCli(['analyze', '--prometheus', 'http://127.0.0.1:1', '--duration', '5m']);
    expect(down.code).toBe(3);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toMatch(/prometheus.*cannot connect/);
    const bad = await runCli(['analyze', '--prometheus', 'http://127.0.0.1:1', '--duration', 'soon']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--duration: invalid duration "soon"/);
    const unknown = await runCli(['analyze', '--frobnicate']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);
  });
});
