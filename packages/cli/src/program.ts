import { Command, CommanderError } from 'commander';
import { describeError, isEtcdAnalyzerError } from '@etcd-analyzer/shared/errors';
import { registerLab } from './commands/lab.ts';
import { registerCollect } from './commands/collect.ts';
import { registerAnalyze } from './commands/analyze.ts';
import { registerDemo } from './commands/demo.ts';
import { ExitCode } from './errors.ts';
import { VERSION } from './version.ts';

export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 3;


export function buildProgram(): Command {
  const program = new Command('etcd-analyzer')
    .description('Tells whether etcd is what makes a Kubernetes/OpenShift control plane slow: which member, why, and what to do.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  registerLab(program);
  registerCollect(program);
  registerAnalyze(program);
  registerDemo(program);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof ExitCode) return e.code;
    // `analyze` reserves 1 and 2 for warning and critical: any failure to analyse is 3.
    const usage = argv[0] === 'analyze' ? EXIT_FAILURE : EXIT_USAGE;
    if (e instanceof CommanderError) {
      // --help and --version end through here with exitCode 0.
      return e.exitCode === 0 ? 0 : usage;
    }
    const message = describeError(e);
    process.stderr.write(`etcd-analyzer: ${message}\n`);
    if (isEtcdAnalyzerError(e) && (e.code === 'CONFIG' || e.code === 'VALIDATION')) return usage;
    return EXIT_FAILURE;
  }
}
