import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labFault, labHeal } from '@etcd-analyzer/lab';
import { withLab, type LabFixture } from '@etcd-analyzer/testkit';
import { analyzeLab, summary } from './run-cli.ts';

// A lab of its own: peer RTT is a 5-minute rolling value, so a network fault must be judged on a
// history that no disk or member fault of another test still colours.
let lab: LabFixture;
const sleep = (s: number): Promise<void> => new Promise((r) => setTimeout(r, s * 1000));

beforeAll(async () => {
  lab = await withLab({ load: 100 });
  await sleep(20);
});
afterAll(async () => lab?.down());

describe('analyze against a real lab, network faults', () => {
  it('slow network to one follower -> that member named first, a network cause, per-link findings by name', async () => {
    const fault = await labFault('peer-latency', { dir: lab.dir, delay: '100ms' });
    const slow = fault.member as string;
    const others = lab.state.members.map((m) => m.name).filter((m) => m !== slow);
    try {
      // etcd observes each link's smoothed RTT only every 30 s (rafthttp's statusMonitoringInterval)
      // and the smoothing takes ~20 s to pass 100 ms: the rolling p90 turns slow 30-60 s into the
      // fault, and must then hold for the rule's minute inside the 75 s window.
      await sleep(130);
      const { code, report } = await analyzeLab(lab.dir, '75s');
      expect(report.rootCauses[0], summary(report)).toMatchObject({ id: `network:${slow}`, member: slow, subsystem: 'network' });
      // Every other member measures a slow link to it; it measures fast links to them.
      for (const o of others) expect(report.findings.find((f) => f.id === `peerRoundTrip:${o}>${slow}`), summary(report)).toMatchObject({ member: o, peer: slow });
      expect(report.findings.some((f) => f.rule === 'peerRoundTrip' && f.member === slow), summary(report)).toBe(false);
      expect(JSON.stringify(report.findings)).not.toMatch(/"peer":"member id /);
      expect(code).toBe(2);
    } finally {
      await labHeal({ dir: lab.dir });
    }
  });
});
