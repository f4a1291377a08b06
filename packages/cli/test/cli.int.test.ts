import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('bin/etcd-analyzer', () => {
  it('prints help and the version with exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['analyze', 'collect', 'lab', 'demo']) expect(help.stdout).toContain(cmd);
    const v = await runCli(['--version']);
    expect(v).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('rejects an unknown command or flag with exit 2 and a message naming it', async () => {
    const cmd = await runCli(['frobnicate']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command 'frobnicate'/);
    const flag = await runCli(['collect', '--frobnicate']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('names the flag of an invalid value', async () => {
    const r = await runCli(['collect', '--prometheus', 'ftp://x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('etcd-analyzer: --prometheus: "ftp://x" must be http:// or https://\n');
    const none = await runCli(['collect']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no source given/);
  });

  it('collect reports an unreachable Prometheus as a problem and exits 3', async () => {
    const r = await runCli(['collect', '--prometheus', 'http://127.0.0.1:1', '--duration', '5m', '--json']);
    expect(r.code).toBe(3);
    const snap = JSON.parse(r.stdout) as { problems: Array<{ kind: string; message: string }> };
    expect(snap.problems).toEqual([expect.objectContaining({ kind: 'unreachable' })]);
  });
});
