import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/index.ts';
import { encodeCursor } from './cursor.ts';
import { FindingsQuerySchema, parseQuery, SeriesQuerySchema } from './query-options.ts';

describe('query options', () => {
  it('take a time as a Date, unix ms or ISO-8601, and fill defaults', () => {
    const q = parseQuery('series query', SeriesQuerySchema, { cluster: 'c', metric: 'm', from: new Date(1_000), to: '1970-01-01T00:00:02.5Z' });
    expect(q).toEqual({ cluster: 'c', metric: 'm', from: 1_000, to: 2_500, maxPoints: 500, agg: 'avg' });
  });

  it('name each bad key in a ValidationError', () => {
    let err: unknown;
    try {
      parseQuery('series query', SeriesQuerySchema, { cluster: '', metric: 'm', from: 'yesterday', to: 0, maxPoints: 1, agg: 'p99' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.split(':')[0]).sort()).toEqual(['agg', 'cluster', 'from', 'maxPoints']);
  });

  it('refuse an empty range and an unknown key', () => {
    expect(() => parseQuery('series query', SeriesQuerySchema, { cluster: 'c', metric: 'm', from: 5, to: 5 })).toThrow(/to: to must be after from/);
    expect(() => parseQuery('findings query', FindingsQuerySchema, { severty: 'critical' })).toThrow(/severty/);
  });

  it('decode a findings cursor into its sort key', () => {
    expect(parseQuery('findings query', FindingsQuerySchema, { cursor: encodeCursor([5, 'ep', 2]) }).cursor).toEqual([5, 'ep', 2]);
    expect(() => parseQuery('findings query', FindingsQuerySchema, { cursor: encodeCursor([5, 'ep', 9]) })).toThrow(/cursor/);
  });
});
