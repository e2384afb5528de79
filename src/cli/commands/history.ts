/** `keyscope history [CASE...]`. */
import type { Command } from 'commander';

import type { CommandContext } from '../command-context.js';
import type { HistoryCommandOptions } from '../history-command.js';
import { serverOption } from '../remote-runs.js';
import { dbOption } from './store-options.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('history')
    .description("each case's median run by run on a branch and testbed, and the threshold that history teaches compare --baseline-branch")
    .argument('[cases...]', 'show only cases whose name contains one of these, e.g. ec-p256 "node:crypto ed25519"')
    .option('--branch <name>', 'the branch (default: the current git branch, or the CI\'s)')
    .option('--testbed <name>', 'the testbed (default: that of the branch\'s newest run)')
    .option('--limit <runs>', 'the newest this many runs', '30')
    .option('--confidence <proportion>', 'confidence of the threshold a history teaches: 99% or 0.99', '99%')
    .option('--json', 'print JSON')
    .option(...dbOption)
    .option(...serverOption)
    .action(async (cases: string[], options: HistoryCommandOptions) => (await import('../history-command.js')).runHistory(cases, options, io));
}
