import type { Finding } from '../../schema/index.ts';
import { byRule, cause, type Correlator } from './context.ts';

/** Symptoms a starved CPU produces: slow applies and reads, late heartbeats, queues. */
const CPU_SYMPTOMS = ['slowApplies', 'applyLag', 'heartbeatFailures', 'pendingProposals', 'grpcSlow', 'slowReadIndexes', 'leaderChanges', 'noLeader'];
/** Symptoms memory pressure produces: bbolt reads fault pages in, applies and commits wait. */
const MEMORY_SYMPTOMS = ['slowApplies', 'applyLag', 'grpcSlow', 'backendCommitLatency', 'pendingProposals'];

/** Where a resource risk sits: one member, one node, or several (named). */
function place(risks: readonly Finding[]): { member: string | null; node?: string; names: string[] } {
  const members = [...new Set(risks.filter((f) => f.rule === 'etcdCpu').map((f) => f.member).filter((m): m is string => m !== null))];
  const nodes = [...new Set(risks.filter((f) => f.rule !== 'etcdCpu').map((f) => f.member).filter((m): m is string => m !== null))];
  if (members.length === 1 && nodes.length <= 1) return { member: members[0] as string, names: members };
  if (members.length === 0 && nodes.length === 1) return { member: null, node: nodes[0] as string, names: nodes };
  return { member: null, names: [...members, ...nodes] };
}

/** CPU saturation (node or etcd) with the symptoms starvation causes -> CPU starvation. */
export const cpuCorrelator: Correlator = {
  id: 'cpu',
  correlate(ctx) {
    const cpu = byRule(ctx, 'nodeCpu', 'etcdCpu');
    const symptoms = ctx.findings.filter((f) => CPU_SYMPTOMS.includes(f.rule));
    if (cpu.length === 0 || symptoms.length === 0) return [];
    const where = place(cpu);
    const label = where.member ?? where.node ?? 'the control-plane nodes';
    return [cause({
      id: `cpu${where.member ? `:${where.member}` : where.node ? `:${where.node}` : ''}`,
      cause: `CPU starvation ${where.member ? 'around' : 'on'} ${label}`,
      member: where.member,
      ...(where.node ? { node: where.node } : {}),
      clusterWideBecause: `CPU is saturated on ${where.names.join(', ')}`,
      confidence: 0.5 + (cpu.some((f) => f.severity === 'critical') ? 0.1 : 0) + (symptoms.length > 1 ? 0.1 : 0),
      subsystem: 'resources',
      explains: symptoms,
      evidence: [...cpu, ...symptoms].map((f) => f.summary),
      recommendations: ['checkCpuStarvation', 'reduceClientLoad'],
    })];
  },
};

/** Node memory pressure with the symptoms it produces. */
export const memoryCorrelator: Correlator = {
  id: 'memory',
  correlate(ctx) {
    const mem = byRule(ctx, 'nodeMemory');
    const symptoms = ctx.findings.filter((f) => MEMORY_SYMPTOMS.includes(f.rule));
    if (mem.length === 0 || symptoms.length === 0) return [];
    const where = place(mem);
    return [cause({
      id: `memory${where.node ? `:${where.node}` : ''}`,
      cause: `Memory pressure on ${where.node ?? 'the control-plane nodes'}`,
      member: null,
      ...(where.node ? { node: where.node } : {}),
      clusterWideBecause: `memory is short on ${where.names.join(', ')}`,
      confidence: 0.5,
      subsystem: 'resources',
      explains: symptoms,
      evidence: [...mem, ...symptoms].map((f) => f.summary),
      recommendations: ['addMemory', 'findLargeResources'],
    })];
  },
};
