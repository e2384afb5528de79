/** `keyscope alerts`. */
import type { Command } from 'commander';

import type { AlertsCommandOptions } from '../alerts-command.js';
import type { CommandContext } from '../command-context.js';

export function register(program: Command, { io, exit }: CommandContext): void {
  program
    .command('alerts')
    .description('evaluate the alert rules (thresholds, built-in security rules, anomaly detection) over the analytics data')
    .option('--rules <file>', 'rules file, .json, .yaml or .yml (default: $KEYSCOPE_HOME/alerts.yaml, .yml or .json if present)')
    .option('--since <duration>', 'look back this far for the built-in security rules (e.g. 24h; default: each rule\'s lookback)')
    .option('--json', 'print JSON')
    .option('--webhook <url>', 'POST the alerts to this URL when any fire (overrides the rules file\'s webhook)')
    .option('--fail-on <severity>', 'exit 1 when an alert of this severity or above fires: info, warning or critical')
    .action(async (options: AlertsCommandOptions) => {
      exit.code = await (await import('../alerts-command.js')).alertsCommand(options, io);
    });
}
