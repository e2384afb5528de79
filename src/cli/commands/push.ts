/** `keyscope push [RUN…]` and `keyscope pull`. */
import type { Command } from 'commander';

import type { CommandContext } from '../command-context.js';
import type { SyncOptions } from '../sync-command.js';
import { dbOption } from './store-options.js';

const syncCommand = () => import('../sync-command.js');

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('push')
    .description("send runs to the team's keyscope server (all the server lacks when none is named); token in $KEYSCOPE_TOKEN")
    .argument('[runs...]', 'run ids (or their start) or labels')
    .requiredOption('--server <url>', "the team's keyscope server")
    .option('--json', 'print JSON')
    .option(...dbOption)
    .action(async (runs: string[], options: SyncOptions) => (await syncCommand()).runPush(runs, options, io));
  program
    .command('pull')
    .description("fetch the runs the local store lacks from the team's keyscope server; token in $KEYSCOPE_TOKEN")
    .requiredOption('--server <url>', "the team's keyscope server")
    .option('--branch <name>', 'only the runs of this branch')
    .option('--json', 'print JSON')
    .option(...dbOption)
    .action(async (options: SyncOptions) => (await syncCommand()).runPull(options, io));
}
