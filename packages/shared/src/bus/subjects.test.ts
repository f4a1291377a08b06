import { describe, expect, it } from 'vitest';
import { InvalidSubjectTokenError } from './errors.ts';
import {
  AGENT_ASK_SUBJECT,
  CLUSTER_TOKEN,
  CMD_ANALYZE_SUBJECT,
  clusterToken,
  dlqFilter,
  dlqSubject,
  findingsFilter,
  findingsSubject,
  metricsFilter,
  metricsSubject,
  parseSubject,
  reportsFilter,
  reportsSubject,
  SANITISED_SUFFIX,
} from './subjects.ts';

describe('clusterToken', () => {
  it('keeps a name made of [A-Za-z0-9_-] as it is', () => {
    for (const n of ['prod', 'prod-east_1', 'A-b_C', 'x']) expect(clusterToken(n)).toBe(n);
  });

  it('replaces other characters and adds a stable hash suffix', () => {
    const t = clusterToken('prod.east');
    expect(t).toMatch(/^prod_east__[0-9a-f]{8}$/);
    expect(clusterToken('prod.east')).toBe(t);
    expect(t).toMatch(CLUSTER_TOKEN);
  });

  it('never gives two different names the same token', () => {
    const names = ['prod.east', 'prod_east', 'prod east', 'prod*east', 'prod>east', 'prod/east', 'prodéast', 'prod.east.', '*', '>', '.', 'a.b.c', 'a_b_c', 'a.b_c'];
    // A name that already looks sanitised is sanitised again, so it cannot meet a sanitised one.
    names.push(clusterToken('prod.east'));
    const tokens = names.map(clusterToken);
    expect(new Set(tokens).size).toBe(names.length);
    for (const t of tokens) expect(t).toMatch(CLUSTER_TOKEN);
    expect(clusterToken(clusterToken('prod.east'))).not.toBe(clusterToken('prod.east'));
  });

  it('bounds long names and keeps them distinct', () => {
    const a = 'c'.repeat(200);
    const b = `${'c'.repeat(199)}d`;
    expect(clusterToken(a).length).toBeLessThanOrEqual(80);
    expect(clusterToken(a)).toMatch(SANITISED_SUFFIX);
    expect(clusterToken(a)).not.toBe(clusterToken(b));
  });

  it('rejects an empty name', () => {
    expect(() => clusterToken('')).toThrow(InvalidSubjectTokenError);
  });
});

describe('subjects', () => {
  it('builds every subject from its parts', () => {
    expect(metricsSubject('prod', 'walFsync')).toBe('etcd.metrics.prod.walFsync');
    expect(findingsSubject('prod', 'critical', 'disk')).toBe('etcd.findings.prod.critical.disk');
    expect(reportsSubject('prod')).toBe('etcd.reports.prod');
    expect(dlqSubject('metrics')).toBe('etcd.dlq.metrics');
    expect(AGENT_ASK_SUBJECT).toBe('etcd.agent.ask');
    expect(CMD_ANALYZE_SUBJECT).toBe('etcd.cmd.analyze');
    expect(metricsSubject('ocp.prod', 'status')).toMatch(/^etcd\.metrics\.ocp_prod__[0-9a-f]{8}\.status$/);
  });

  it('rejects bad categories, severities and sources, quoting the value', () => {
    expect(() => metricsSubject('prod', 'wal.fsync')).toThrow('invalid category "wal.fsync"');
    expect(() => metricsSubject('prod', '')).toThrow('invalid category ""');
    expect(() => metricsSubject('prod', '*')).toThrow(InvalidSubjectTokenError);
    expect(() => findingsSubject('prod', 'info', 'disk')).toThrow('invalid severity "info": must be one of warning, critical');
    expect(() => dlqSubject('Metrics>')).toThrow('invalid DLQ source "Metrics>"');
    try {
      findingsSubject('prod', 'warning', 'a b');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidSubjectTokenError);
      expect((e as InvalidSubjectTokenError).value).toBe('a b');
      expect((e as InvalidSubjectTokenError).kind).toBe('category');
    }
  });

  it('builds wildcards for subscribers', () => {
    expect(metricsFilter()).toBe('etcd.metrics.>');
    expect(metricsFilter({ cluster: 'prod' })).toBe('etcd.metrics.prod.*');
    expect(metricsFilter({ category: 'status' })).toBe('etcd.metrics.*.status');
    expect(findingsFilter()).toBe('etcd.findings.>');
    expect(findingsFilter({ severity: 'critical' })).toBe('etcd.findings.*.critical.*');
    expect(findingsFilter({ cluster: 'prod', category: 'disk' })).toBe('etcd.findings.prod.*.disk');
    expect(reportsFilter()).toBe('etcd.reports.>');
    expect(reportsFilter({ cluster: 'prod' })).toBe('etcd.reports.prod');
    expect(dlqFilter()).toBe('etcd.dlq.>');
    expect(() => findingsFilter({ severity: 'bad' })).toThrow('invalid severity "bad"');
  });

  it('parses what it builds, and nothing else', () => {
    expect(parseSubject(metricsSubject('prod', 'walFsync'))).toEqual({ kind: 'metrics', clusterToken: 'prod', category: 'walFsync' });
    expect(parseSubject(findingsSubject('a.b', 'warning', 'disk'))).toEqual({ kind: 'findings', clusterToken: clusterToken('a.b'), severity: 'warning', category: 'disk' });
    expect(parseSubject(reportsSubject('prod'))).toEqual({ kind: 'reports', clusterToken: 'prod' });
    expect(parseSubject(dlqSubject('metrics'))).toEqual({ kind: 'dlq', source: 'metrics' });
    for (const s of ['etcd.metrics.prod', 'etcd.findings.prod.info.disk', 'other.metrics.a.b', 'etcd.metrics.*.b', 'etcd.agent.ask', '']) expect(parseSubject(s)).toBeNull();
  });
});
