/** `keyscope dashboard`. */
import type { Command } from 'commander';

import type { CommandContext } from '../command-context.js';
import type { DashboardCommandOptions } from '../dashboard-command.js';
import { dbOption, fromStoreAlias, type StoreAlias, storeAlias } from './store-options.js';

export function register(program: Command, { io, exit }: CommandContext): void {
  program
    .command('dashboard')
    .description('a local web dashboard of analytics, bench runs, alerts and recommendations, live (runs until Ctrl-C)')
    .option('--port <n>', 'port to listen on (0: any free port)', '7357')
    .option('--host <host>', 'address to listen on (anything but loopback is reachable from other machines)', '127.0.0.1')
    .option('--rules <file>', 'alert rules file, .json, .yaml or .yml (default: $KEYSCOPE_HOME/alerts.yaml, .yml or .json if present)')
    .option(...dbOption)
    .addOption(storeAlias())
    .option('--otlp <url>', 'also push metrics over OTLP/HTTP to this URL (e.g. http://localhost:4318/v1/metrics)')
    .action(async (options: DashboardCommandOptions & StoreAlias) => {
      exit.code = await (await import('../dashboard-command.js')).dashboardCommand(fromStoreAlias(options), io);
    });
}
