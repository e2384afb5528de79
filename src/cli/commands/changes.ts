/** `keyscope changes [CASE...]`. */
import type { Command } from 'commander';

import type { CommandContext } from '../command-context.js';
import type { ChangesCommandOptions } from '../changes-command.js';
import { serverOption } from '../remote-runs.js';
import { dbOption } from './store-options.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('changes')
    .description("where each case's history on a branch and testbed moved (E-Divisive means): the commits either side and the size of the step")
    .argument('[cases...]', 'only cases whose name contains one of these, e.g. ec-p256 "node:crypto ed25519"')
    .option('--branch <name>', "the branch (default: the current git branch, or the CI's)")
    .option('--testbed <name>', "the testbed (default: that of the branch's newest run)")
    .option('--limit <runs>', 'the newest this many runs', '100')
    .option('--significance <proportion>', 'keep a change whose permutation p-value is at most this: 5% or 0.05', '5%')
    .option('--json', 'print JSON')
    .option(...dbOption)
    .option(...serverOption)
    .action(async (cases: string[], options: ChangesCommandOptions) => (await import('../changes-command.js')).runChanges(cases, options, io));
}
