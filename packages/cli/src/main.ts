#!/usr/bin/env node
/**
 * The `etcd-analyzer` command. Exit codes: 0 ok/healthy, 1 warning, 2 usage error or critical
 * (analyze), 3 could not analyze / runtime failure.
 */
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv.slice(2));
if (process.env.ETCD_ANALYZER_REPORT_RSS) {
  // For bench:analyze: the peak resident set of the whole command.
  process.on('exit', () => process.stderr.write(`max-rss-kib=${process.resourceUsage().maxRSS}\n`));
}
