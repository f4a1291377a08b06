import { describe, expect, it } from 'vitest';
import { parseAnalysisConfig } from './config.ts';

const parse = (yaml: string) => parseAnalysisConfig(yaml, 'thresholds.yaml');
const error = (yaml: string): string => {
  try {
    parse(yaml);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('threshold overrides are checked for sense', () => {
  it('accepts sensible overrides', () => {
    expect(parse('rules:\n  walFsyncLatency: { warning: 0.008, critical: 0.03, holdFor: 2m }\n  nodeCpu: { enabled: false }\n').rules.walFsyncLatency).toEqual({ warning: 0.008, critical: 0.03, holdFor: '2m' });
  });

  it('tells a user who wrote 10 for 10 ms on a seconds rule what to write', () => {
    expect(error('rules:\n  walFsyncLatency: { warning: 10 }\n')).toMatch(/rules\.walFsyncLatency\.warning: 10 seconds is far above anything walFsyncLatency tolerates .* for 10 ms write 0\.01/);
  });

  it('refuses negative latencies and sizes, naming key and rule', () => {
    expect(error('rules:\n  backendCommitLatency: { warning: -0.01 }\n')).toMatch(/rules\.backendCommitLatency\.warning: -0\.01 is negative/);
    expect(error('rules:\n  dbSize: { critical: -1 }\n')).toMatch(/rules\.dbSize\.critical: -1 is negative/);
  });

  it('keeps yes/no rules at their only meaningful threshold', () => {
    expect(error('rules:\n  noSpaceAlarm: { warning: 2, critical: 2 }\n')).toMatch(/rules\.noSpaceAlarm\.warning: noSpaceAlarm is a yes\/no condition; its threshold can only be 1/);
  });

  it('refuses percentages above 100 and fractions where percent is meant, but lets etcd CPU pass 100 %', () => {
    expect(error('rules:\n  dbQuota: { critical: 120 }\n')).toMatch(/rules\.dbQuota\.critical: 120 % is above 100 %/);
    expect(error('rules:\n  nodeCpu: { warning: 0.7 }\n')).toMatch(/rules\.nodeCpu\.warning: 0\.7 looks like a fraction; .*write 70/);
    expect(parse('rules:\n  etcdCpu: { warning: 250, critical: 400 }\n').rules.etcdCpu).toEqual({ warning: 250, critical: 400 });
  });

  it('lists every problem at once, and names unknown rules and misordered levels', () => {
    const msg = error('rules:\n  walFsyncLatency: { warning: 0.2, critical: 0.1 }\n  noSuchRule: { warning: 1 }\n  dbQuota: { warning: -5 }\n');
    expect(msg).toMatch(/rules\.noSuchRule: unknown rule/);
    expect(msg).toMatch(/rules\.walFsyncLatency: warning \(0\.2\) must not be above critical \(0\.1\)/);
    expect(msg).toMatch(/rules\.dbQuota\.warning: -5 is negative/);
  });

  it('names a wrong type by its path, without a raw schema dump', () => {
    expect(error('rules:\n  walFsyncLatency: { warning: fast }\n')).toMatch(/^invalid config file thresholds\.yaml: rules\.walFsyncLatency\.warning: .*number/);
    expect(error('rules:\n  walFsyncLatency: { warn: 0.01 }\n')).toMatch(/rules\.walFsyncLatency: .*warn/);
  });
});
