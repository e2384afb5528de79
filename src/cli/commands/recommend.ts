/** `keyscope recommend`. */
import type { Command } from 'commander';

import type { CommandContext } from '../command-context.js';
import type { RecommendCommandOptions } from '../recommend-command.js';
import { dbOption, fromStoreAlias, type StoreAlias, storeAlias } from './store-options.js';

export function register(program: Command, { io, exit }: CommandContext): void {
  program
    .command('recommend')
    .description('data-driven suggestions with their evidence, from analytics and the newest bench run')
    .option('--since <when>', 'look back to this ISO date or this long ago (30d, 12h, 2w; default 30d)')
    .option(...dbOption)
    .addOption(storeAlias())
    .option('--all', 'every finding, not only the top 5')
    .option('--json', 'print JSON')
    .action(async (options: RecommendCommandOptions & StoreAlias) => {
      exit.code = await (await import('../recommend-command.js')).recommendCommand(fromStoreAlias(options), io);
    });
}
