import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ReportSchema, type Report } from '@etcd-analyzer/shared/schema';

export const BIN = fileURLToPath(new URL('../../../bin/etcd-analyzer', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real entry point, as a user would. */
export function runCli(args: readonly string[], timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { env: { ...process.env, ETCD_ANALYZER_QUIET_SETUP: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `analyze --format json` against a lab; the report is schema-checked. */
export async function analyzeLab(dir: string, duration: string, extra: readonly string[] = []): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await runCli(['analyze', '--lab', dir, '--duration', duration, '--format', 'json', ...extra]);
  let raw: unknown;
  try {
    raw = JSON.parse(r.stdout);
  } catch {
    throw new Error(`analyze printed no JSON report (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 500)}`);
  }
  return { code: r.code, report: ReportSchema.parse(raw), stderr: r.stderr };
}

export const summary = (r: Report): string =>
  JSON.stringify({ status: r.status, findings: r.findings.map((f) => `${f.severity} ${f.id}`), causes: r.rootCauses.map((c) => `${c.id} ${c.confidence}`) });
