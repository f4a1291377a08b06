import { byRule, cause, type Correlator } from './context.ts';

/** CPU saturation (node or etcd) plus slow applies or apply lag -> CPU starvation. */
export const cpuCorrelator: Correlator = {
  id: 'cpu',
  correlate(ctx) {
    const cpu = byRule(ctx, 'nodeCpu', 'etcdCpu');
    if (cpu.length === 0) return [];
    const symptoms = byRule(ctx, 'slowApplies', 'applyLag', 'heartbeatFailures', 'pendingProposals');
    const etcdMembers = [...new Set(cpu.filter((f) => f.rule === 'etcdCpu').map((f) => f.member))];
    const member = etcdMembers.length === 1 ? (etcdMembers[0] ?? null) : null;
    const evidence = [...cpu, ...symptoms].map((f) => f.summary);
    return [cause({ id: member ? `cpu:${member}` : 'cpu', cause: member ? `CPU starvation around ${member}` : 'CPU starvation on the control-plane nodes', member, confidence: 0.45 + (symptoms.length ? 0.25 : 0), subsystem: 'resources', evidence, recommendations: ['checkCpuStarvation', 'reduceClientLoad'] })];
  },
};

/** Node memory pressure. */
export const memoryCorrelator: Correlator = {
  id: 'memory',
  correlate(ctx) {
    const mem = byRule(ctx, 'nodeMemory');
    if (mem.length === 0) return [];
    return [cause({ id: 'memory', cause: 'Memory pressure on the control-plane nodes', member: null, confidence: 0.5, subsystem: 'resources', evidence: mem.map((f) => f.summary), recommendations: ['addMemory', 'findLargeResources'] })];
  },
};
