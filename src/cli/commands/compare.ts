/** `keyscope compare [baseline] [candidate]`. */
import { type Command, Option } from 'commander';

import type { CommandContext } from '../command-context.js';
import type { CompareCommandOptions } from '../compare-command.js';
import { serverOption } from '../remote-runs.js';
import { dbOption } from './store-options.js';

export function register(program: Command, { io, exit }: CommandContext): void {
  program
    .command('compare')
    .description('compare two runs case by case: exit 0 no regression, 1 regression, 2 usage or data error')
    .argument('[baseline]', 'run id (or its start), label or exported file (default: latest "baseline" run, else the previous run); with --baseline or --baseline-branch, the candidate')
    .argument('[candidate]', 'run id (or its start), label or exported file (default: the latest run)')
    .option('--baseline-branch <branch>', 'judge the candidate against the history of BRANCH on its testbed (5 or more past runs; fewer: against the newest, said so)')
    .option('--lookback <runs>', `with --baseline-branch: how many of the branch's newest past runs to learn from (default: 30)`)
    .option('--allow-no-history', 'with --baseline-branch: pass with a notice when the branch has no history on this testbed yet (a first pull request)')
    .option('--baseline <name>', 'judge the candidate against baseline NAME of its testbed (saved by bench --save-baseline)')
    .option('--cross-testbed', 'with --baseline: accept a baseline measured on another testbed')
    .option('--across-runtimes', 'compare runtimes: the two runs are one machine\'s under different Node/OpenSSL (other machines are refused, exit 2); exit 1 when a case is slower on the candidate\'s runtime; with --baseline, a baseline of this machine under another runtime')
    .option('--threshold <proportion>', 'slower by more than this is a regression: 5% or 0.05 (a bare number is a fraction)', '5%')
    .option('--confidence <proportion>', 'confidence of every interval and verdict: 99% or 0.99', '99%')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'md', 'json']).default('text'))
    .option('--strict', 'refuse to gate when CPU, Node, OpenSSL or addon build differ (with --across-runtimes: anything but Node and OpenSSL); unstable cases gate too')
    .option(...dbOption)
    .option(...serverOption)
    .action(async (first: string | undefined, second: string | undefined, options: CompareCommandOptions) => {
      // Exit 1 means "regression": any failure of compare's own must exit 2, never look like a verdict.
      exit.failureCode = 2;
      const color = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
      exit.code = (await (await import('../compare-command.js')).runCompare(first, second, options, { ...io, color })).exitCode;
    });
}
