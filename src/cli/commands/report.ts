/** `keyscope report [runs...]`. */
import type { Command } from 'commander';

import type { CommandContext } from '../command-context.js';
import type { ReportCommandOptions } from '../report-command.js';
import { dbOption } from './store-options.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('report')
    .description('write one self-contained HTML report: distributions, comparison, history, counters, environment')
    .argument('[runs...]', 'run ids (or their start), labels or exported files; the first is the baseline (default: the latest run and its baseline)')
    .option('--out <file>', 'where to write it (default: reports/run-<id>.html)')
    .option('--history <n>', 'runs of history per case, of the last run\'s label or branch', '20')
    .option('--threshold <proportion>', 'regression threshold for the comparison: 5% or 0.05', '5%')
    .option('--confidence <proportion>', 'confidence of the comparison: 99% or 0.99', '99%')
    .option('--across-runtimes', 'the runs compared are one machine\'s under different Node/OpenSSL: compare the runtimes (as compare --across-runtimes)')
    .option(...dbOption)
    .action(async (runs: string[], options: ReportCommandOptions) => (await import('../report-command.js')).runReport(runs, options, io));
}
