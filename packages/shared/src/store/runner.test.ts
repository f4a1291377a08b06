import { describe, expect, it } from 'vitest';
import { dedupSettings } from './runner.ts';

describe('dedupSettings', () => {
  it('is a SETTINGS clause whose only value from input is a hex digest', () => {
    const hostile = "prod\\'; DROP TABLE samples; --:disk:2026-05-01T10:00:00Z";
    const s = dedupSettings(hostile);
    expect(s).toMatch(/^insert_deduplicate = 1, insert_deduplication_token = '[0-9a-f]{32}', deduplicate_blocks_in_dependent_materialized_views = 1, async_insert = 0$/);
    expect(dedupSettings(hostile)).toBe(s);
    expect(dedupSettings(`${hostile}x`)).not.toBe(s);
  });
});
