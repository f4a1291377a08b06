import { byRule, cause, type Correlator } from './context.ts';

/** Members down, and whether quorum is gone. */
export const availabilityCorrelator: Correlator = {
  id: 'availability',
  correlate(ctx) {
    const down = byRule(ctx, 'membersDown');
    const quorum = byRule(ctx, 'insufficientMembers');
    if (down.length === 0 && quorum.length === 0) return [];
    const names = down.map((f) => f.member).filter((m): m is string => m !== null);
    const evidence = [...quorum, ...down].map((f) => f.summary);
    const member = names.length === 1 && quorum.length === 0 ? (names[0] as string) : null;
    return [cause({
      id: member ? `memberDown:${member}` : 'membersDown',
      cause: quorum.length ? 'Quorum lost: too few members are up' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} down`,
      member,
      clusterWideBecause: quorum.length ? 'without a quorum no member can commit a write' : `${names.length} members are down at once`,
      confidence: 0.9,
      subsystem: 'consensus',
      explains: [...quorum, ...down],
      evidence,
      recommendations: quorum.length ? ['restoreQuorum', 'checkMemberDown'] : ['checkMemberDown'],
    })];
  },
};
