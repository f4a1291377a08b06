import { describe, expect, it } from 'vitest';
import { CollectorTargetSchema } from '@etcd-analyzer/shared/schema';
import { parseCollectRequest } from '@etcd-analyzer/shared/sources';
import { nextWindow, targetRequest } from './target-request.ts';

const prom = CollectorTargetSchema.parse({ cluster: 'c1', intervalSeconds: 10, prometheus: { url: 'http://p:9090' } });
const direct = CollectorTargetSchema.parse({ cluster: 'c2', intervalSeconds: 10, direct: { targets: [{ entity: 'etcd-0', url: 'http://e:2381/metrics', scope: 'member' }] } });

describe('a target\'s ticks', () => {
  it('is a valid collect request for one interval', () => {
    expect(parseCollectRequest(targetRequest(prom))).toMatchObject({ cluster: 'c1', durationSeconds: 10, detectMemberLabel: true });
    expect(parseCollectRequest(targetRequest(direct)).direct).toMatchObject({ intervalSeconds: 10 });
  });

  it('collects only what is new, on the step grid, so instances and restarts agree', () => {
    expect(nextWindow(prom, 1003.7, undefined, 300)).toEqual({ start: 990, end: 1000, step: 10 });
    expect(nextWindow(prom, 1013.2, 1000, 300)).toEqual({ start: 1000, end: 1010, step: 10 });
    // The same grid point again: nothing new.
    expect(nextWindow(prom, 1009, 1000, 300)).toBeNull();
    // After an outage: catch up on at most maxCatchUp.
    expect(nextWindow(prom, 5000, 1000, 300)).toEqual({ start: 4700, end: 5000, step: 10 });
  });

  it('direct scraping has no history: a tick never reaches far back', () => {
    expect(nextWindow(direct, 5000.5, 1000, 300)).toEqual({ start: 4980.5, end: 5000.5, step: 10 });
  });

  it('refuses a target with two metric sources or none, naming why', () => {
    expect(CollectorTargetSchema.safeParse({ cluster: 'x', prometheus: { url: 'http://p' }, direct: { targets: [{ entity: 'a', url: 'http://a', scope: 'member' }] } }).error?.issues[0]?.message).toMatch(/exclusive/);
    expect(CollectorTargetSchema.safeParse({ cluster: 'x' }).error?.issues[0]?.message).toMatch(/no source/);
    expect(CollectorTargetSchema.safeParse({ cluster: 'x', intervalSeconds: 1, etcd: { endpoints: ['http://e:2379'] } }).success).toBe(false);
  });
});
