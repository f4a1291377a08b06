import { byRule, cause, fmt, typical, type Correlator } from './context.ts';

/** Quota nearly full or the NOSPACE alarm raised -> space. */
export const spaceCorrelator: Correlator = {
  id: 'space',
  correlate(ctx) {
    const f = byRule(ctx, 'dbQuota', 'noSpaceAlarm', 'dbSize');
    if (f.length === 0) return [];
    const alarm = f.some((x) => x.rule === 'noSpaceAlarm');
    const frag = byRule(ctx, 'dbFragmentation');
    const evidence = [...f, ...frag].map((x) => x.summary);
    return [cause({ id: 'space', cause: alarm ? 'Out of space: the NOSPACE alarm stops writes' : 'The database is running out of quota', member: null, confidence: alarm ? 0.95 : 0.8, subsystem: 'database', evidence, recommendations: alarm ? ['compactAndDefrag', 'disarmAlarm', 'raiseQuota', 'findLargeResources'] : ['compactAndDefrag', 'findLargeResources', 'raiseQuota'] })];
  },
};

/** A fragmented DB file -> defragmentation needed, per member. */
export const fragmentationCorrelator: Correlator = {
  id: 'fragmentation',
  correlate(ctx) {
    return byRule(ctx, 'dbFragmentation').map((f) => {
      const m = f.member as string;
      const size = typical(ctx.table, 'dbSize', m);
      const inUse = typical(ctx.table, 'dbSizeInUse', m);
      const evidence = [f.summary];
      if (size !== undefined && inUse !== undefined) evidence.push(`DB file ${fmt(size, 'bytes')}, in use ${fmt(inUse, 'bytes')}: ${fmt(size - inUse, 'bytes')} reclaimable`);
      return cause({ id: `fragmentation:${m}`, cause: `Fragmented database on ${m}: defragmentation needed`, member: m, confidence: f.severity === 'critical' ? 0.8 : 0.65, subsystem: 'database', evidence, recommendations: ['defragment'] });
    });
  },
};
