import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '@etcd-analyzer/shared/errors';
import { ExitCode } from '../errors.ts';

interface DemoFlags {
  dir: string;
  basePort: string;
  load: string;
  warmup: string;
  format: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `demo`: the main job end to end against a real local lab, with defaults that need nothing else. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start a real local etcd lab (if not running) with a steady write load, then analyse it')
    .option('--dir <dir>', 'lab state directory', '.lab')
    .option('--base-port <port>', 'first port of the lab', '23790')
    .option('--load <opsPerSecond>', 'steady write load', '100')
    .option('--warmup <seconds>', 'seconds of data to gather before analysing a fresh lab', '75')
    .option('--format <format>', 'report format: text|json|markdown|html', 'text')
    .action(async (f: DemoFlags) => {
      const warmup = Number(f.warmup);
      if (!Number.isFinite(warmup) || warmup < 0) throw new ConfigError(`--warmup: "${f.warmup}" is not a number of seconds`);
      let fresh = false;
      const running = existsSync(join(f.dir, 'lab.json')) && (await (await import('@etcd-analyzer/lab')).labStatus({ dir: f.dir }).then((s) => s.members.some((m) => m.running)).catch(() => false));
      if (!running) {
        process.stderr.write(`demo: starting a 3-member etcd lab in ${f.dir} (Prometheus, node_exporter, ${f.load} writes/s)\n`);
        await (await import('@etcd-analyzer/lab')).labUp({ dir: f.dir, members: 3, basePort: Number(f.basePort), load: Number(f.load), onProgress: (m) => process.stderr.write(`  ${m}\n`) });
        fresh = true;
      }
      if (fresh && warmup > 0) {
        process.stderr.write(`demo: gathering ${warmup} s of metrics before analysing\n`);
        await sleep(warmup * 1000);
      }
      // A fresh lab has only minutes of history; the window covers what exists.
      // Loaded late: program.ts registers this command.
      const { runCli } = await import('../program.ts');
      const code = await runCli(['analyze', '--lab', f.dir, '--duration', fresh ? `${Math.max(60, warmup)}s` : '5m', '--format', f.format]);
      process.stderr.write(`\ndemo: the lab keeps running; stop it with: bin/etcd-analyzer lab down --dir ${f.dir}\n`);
      throw new ExitCode(code);
    });
}
