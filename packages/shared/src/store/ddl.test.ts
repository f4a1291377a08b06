import { describe, expect, it } from 'vitest';
import { createDdlContext, DEDUP_WINDOW, RETENTION, TABLES, tableTail } from './ddl.ts';
import { checkMigrations, migrationChecksum, ttlDaysOf } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

const ctx = createDdlContext({ database: 'etcd_analyzer', ttlDays: 30, longTtlDays: 400 });
const all = MIGRATIONS.flatMap((m) => m.statements(ctx));

describe('DDL context', () => {
  it('re-checks what DDL interpolates', () => {
    expect(() => createDdlContext({ database: 'a`b', ttlDays: 1, longTtlDays: 1 })).toThrow(/identifier/);
    expect(() => createDdlContext({ database: 'a', ttlDays: 1.5, longTtlDays: 1 })).toThrow(/ttlDays/);
    expect(() => createDdlContext({ database: 'a', ttlDays: 1, longTtlDays: Number.NaN })).toThrow(/longTtlDays/);
  });

  it('writes TTL, dedup window and whole-part expiry into each time-series table', () => {
    expect(tableTail(ctx, 'samples')).toBe(`TTL toDateTime(ts) + toIntervalDay(30)\nSETTINGS non_replicated_deduplication_window = ${DEDUP_WINDOW}, ttl_only_drop_parts = 1`);
    expect(tableTail(ctx, 'samples_1h')).toContain('toIntervalDay(400)');
  });
});

describe('migrations', () => {
  it('run 1..n in order with unique names', () => {
    expect(() => checkMigrations(MIGRATIONS)).not.toThrow();
    expect(() => checkMigrations([MIGRATIONS[1]!, MIGRATIONS[0]!])).toThrow(/version 2 where 1/);
  });

  it('create every table the store owns, each statement idempotent', () => {
    for (const s of all) expect(s).toMatch(/^CREATE (TABLE|MATERIALIZED VIEW) IF NOT EXISTS `etcd_analyzer`\./);
    for (const t of TABLES.filter((t) => t !== 'schema_migrations')) expect(all.some((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS \`etcd_analyzer\`.\`${t}\``))).toBe(true);
  });

  it('give every table with retention its TTL from the context', () => {
    for (const [table, r] of Object.entries(RETENTION)) {
      const ddl = all.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS \`etcd_analyzer\`.\`${table}\``))!;
      expect(ttlDaysOf(ddl.replace(/\n/g, ' '))).toBe(r!.days === 'ttlDays' ? 30 : 400);
    }
  });

  it('keep the key DESIGN.md sets for samples, and daily partitions', () => {
    const samples = all[0]!;
    expect(samples).toContain('ORDER BY (cluster, metric, member, ts)');
    expect(samples).toContain('PARTITION BY toDate(ts)');
    expect(samples).toMatch(/ts DateTime64\(3, 'UTC'\)/);
    expect(samples).toMatch(/cluster LowCardinality\(String\)[\s\S]*metric LowCardinality\(String\)[\s\S]*member LowCardinality\(String\)/);
  });

  it('have checksums that do not depend on the configured retention or database', () => {
    const sums = MIGRATIONS.map(migrationChecksum);
    expect(new Set(sums).size).toBe(MIGRATIONS.length);
    expect(migrationChecksum(MIGRATIONS[0]!)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('read the days back from engine_full', () => {
    expect(ttlDaysOf("MergeTree PARTITION BY toDate(ts) ORDER BY (cluster) TTL toDateTime(ts) + toIntervalDay(7) SETTINGS index_granularity = 8192")).toBe(7);
    expect(ttlDaysOf('MergeTree ORDER BY version')).toBeUndefined();
  });
});
