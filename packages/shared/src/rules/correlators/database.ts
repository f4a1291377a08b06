import { byRule, cause, fmt, typical, type Correlator } from './context.ts';

/** Quota nearly full or the NOSPACE alarm raised -> space. */
export const spaceCorrelator: Correlator = {
  id: 'space',
  correlate(ctx) {
    const symptoms = byRule(ctx, 'dbQuota', 'noSpaceAlarm');
    if (symptoms.length === 0) return [];
    const alarm = symptoms.some((x) => x.rule === 'noSpaceAlarm');
    const context = byRule(ctx, 'dbSize', 'dbFragmentation');
    const full = [...new Set(symptoms.map((f) => f.member).filter((m): m is string => m !== null))];
    const member = !alarm && full.length === 1 ? (full[0] as string) : null;
    return [cause({
      id: member ? `space:${member}` : 'space',
      cause: alarm ? 'Out of space: the NOSPACE alarm stops writes' : `The database is running out of quota${member ? ` on ${member}` : ''}`,
      member,
      clusterWideBecause: alarm ? 'the alarm stops writes for the whole cluster' : 'every member holds the same keyspace, so all approach the quota together',
      confidence: alarm ? 0.95 : 0.8,
      subsystem: 'database',
      explains: symptoms,
      evidence: [...symptoms, ...context].map((x) => x.summary),
      recommendations: alarm ? ['compactAndDefrag', 'disarmAlarm', 'raiseQuota', 'findLargeResources'] : ['compactAndDefrag', 'findLargeResources', 'raiseQuota'],
    })];
  },
};

/**
 * A fragmented DB file explains a member's quota use (defragmentation gives the space back) and
 * its slow backend commits (a large freelist is written on every commit); with neither it is a
 * risk only.
 */
export const fragmentationCorrelator: Correlator = {
  id: 'fragmentation',
  correlate(ctx) {
    return byRule(ctx, 'dbFragmentation').flatMap((f) => {
      const m = f.member as string;
      const explains = ctx.findings.filter((x) => (x.member === m || x.member === null) && ['dbQuota', 'noSpaceAlarm', 'backendCommitLatency'].includes(x.rule));
      if (explains.length === 0) return [];
      const size = typical(ctx.table, 'dbSize', m);
      const inUse = typical(ctx.table, 'dbSizeInUse', m);
      const evidence = [f.summary, ...explains.map((x) => x.summary)];
      if (size !== undefined && inUse !== undefined) evidence.push(`DB file ${fmt(size, 'bytes')}, in use ${fmt(inUse, 'bytes')}: ${fmt(size - inUse, 'bytes')} reclaimable`);
      return [cause({ id: `fragmentation:${m}`, cause: `Fragmented database on ${m}: defragmentation needed`, member: m, confidence: f.severity === 'critical' ? 0.8 : 0.65, subsystem: 'database', explains, evidence, recommendations: ['defragment'] })];
    });
  },
};
