import { describe, expect, it } from 'vitest';
import { dedupSettings } from './runner.ts';

describe('dedupSettings', () => {
  it('turns any identity into a hex token (setting values reach SQL literals on the embedded path)', () => {
    const hostile = "prod\\'; DROP TABLE samples; --:disk:2026-05-01T10:00:00Z";
    const s = dedupSettings(hostile);
    expect(s.insert_deduplication_token).toMatch(/^[0-9a-f]{32}$/);
    expect(dedupSettings(hostile)).toEqual(s);
    expect(dedupSettings(`${hostile}x`).insert_deduplication_token).not.toBe(s.insert_deduplication_token);
    expect(s).toMatchObject({ insert_deduplicate: 1, deduplicate_blocks_in_dependent_materialized_views: 1, async_insert: 0 });
  });
});
