import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterSnapshotSchema } from '@etcd-analyzer/shared/schema';
import { finishReportDir, prepareReportDir, writeSnapshotJson } from './report-dir.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'report-dir-'));

describe('the report folder', () => {
  it('fails at once, naming --out, where it cannot be written', () => {
    const d = tmp();
    writeFileSync(join(d, 'file'), 'x');
    expect(() => prepareReportDir(join(d, 'file'), 'run')).toThrow(/--out: cannot write into ".*file": a path component is a file, not a folder/);
    expect(() => prepareReportDir('/proc/etcd-analyzer-test', 'run')).toThrow(/--out: cannot write into "\/proc\/etcd-analyzer-test"/);
  });

  it('is marked .partial until every file is written, then renamed', async () => {
    const d = tmp();
    const dir = prepareReportDir(d, 'etcd-analysis-1');
    expect(readdirSync(d)).toEqual(['etcd-analysis-1.partial']);
    expect(readFileSync(join(dir.partial, 'README'), 'utf8')).toMatch(/not finished/);
    writeFileSync(join(dir.partial, 'report.json'), '{}');
    finishReportDir(dir);
    expect(readdirSync(d)).toEqual(['etcd-analysis-1']);
    expect(readdirSync(dir.final)).toEqual(['report.json']);
    expect(existsSync(dir.partial)).toBe(false);
  });

  it('streams a snapshot that parses back to the same snapshot', async () => {
    const snapshot = {
      schemaVersion: 1 as const, cluster: 'c', source: 'prometheus' as const, collectedAt: '2026-01-01T00:00:00Z',
      window: { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:15:00Z', stepSeconds: 15 },
      members: [{ name: 'etcd-0', present: true }], nodes: [],
      series: Array.from({ length: 3 }, (_, i) => ({ metric: `m${i}`, scope: 'member' as const, entity: 'etcd-0', unit: 'seconds', points: [[1, i] as [number, number]], coverage: 1, summary: null })),
      status: null, logEvents: [{ ts: '2026-01-01T00:01:00Z', level: 'warn', kind: 'slow-apply' as const, message: 'apply request took too long "quoted"' }],
      problems: [], stats: { requests: 1, wallMs: 2 },
    };
    const path = join(tmp(), 'snapshot.json');
    await writeSnapshotJson(path, snapshot);
    const back = ClusterSnapshotSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    expect(back).toEqual(snapshot);
  });
});
