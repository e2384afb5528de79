/** `keyscope analytics status|enable|disable|rotate-id` (consent) and `inspect|export|delete` (the recorded data). */
import { type Command, Option } from 'commander';

import type { AnalyticsDeleteOptions, AnalyticsExportOptions, AnalyticsInspectOptions } from '../analytics-data-command.js';
import type { CommandContext } from '../command-context.js';

const consentCommand = () => import('../analytics-command.js');
const dataCommand = () => import('../analytics-data-command.js');

export function register(program: Command, { io, analytics, exit }: CommandContext): void {
  const group = program
    .command('analytics')
    .description('local usage analytics: consent, status and data (nothing leaves this machine)');
  // Managing analytics is no use of keyscope to record, nor the moment for the first-run notice.
  analytics.declare(group, { recorded: false });

  group
    .command('status')
    .description('whether analytics records, why, which scopes, the install id, the consent ledger and pending data')
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }) => {
      exit.code = (await consentCommand()).analyticsStatus([], options, io);
    });
  group
    .command('enable')
    .argument('[scopes...]', 'usage, performance, errors, security (default: all)')
    .description('allow analytics scopes (recorded in the consent ledger)')
    .action(async (scopes: string[]) => {
      exit.code = (await consentCommand()).analyticsEnable(scopes, {}, io);
    });
  group
    .command('disable')
    .argument('[scopes...]', 'usage, performance, errors, security (default: all)')
    .description('stop analytics scopes (recorded in the consent ledger)')
    .action(async (scopes: string[]) => {
      exit.code = (await consentCommand()).analyticsDisable(scopes, {}, io);
    });
  group
    .command('rotate-id')
    .description('replace the random install id that groups recorded events')
    .action(async () => {
      exit.code = (await consentCommand()).analyticsRotateId([], {}, io);
    });
  group
    .command('inspect')
    .description('what analytics has recorded: counts per scope and type, time range, size, the last 20 events')
    .option('--json', 'print JSON')
    .action(async (options: AnalyticsInspectOptions) => {
      await (await dataCommand()).analyticsInspect(options, io);
    });
  group
    .command('export')
    .description('write the recorded events as JSON, CSV or Parquet (stdout unless --out; counts go to stderr)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'parquet']).default('json'))
    .option('--out <file>', 'write to this file (required for parquet)')
    .option('--scope <scope...>', 'only these scopes (usage, performance, errors, security)')
    .option('--since <when>', 'from this ISO date or this long ago (30d, 12h, 2w)')
    .option('--until <when>', 'before this ISO date or this long ago')
    .action(async (options: AnalyticsExportOptions) => {
      await (await dataCommand()).analyticsExport(options, io);
    });
  group
    .command('delete')
    .description('delete recorded events: all, by scope, or by time range; the file is rewritten so they are gone')
    .option('--all', 'every event and error group')
    .option('--scope <scope...>', 'the events of these scopes')
    .option('--since <when>', 'events from this ISO date or this long ago (30d)')
    .option('--until <when>', 'events before this ISO date or this long ago')
    .option('--yes', 'do not ask for confirmation (required when not interactive)')
    .action(async (options: AnalyticsDeleteOptions) => {
      await (await dataCommand()).analyticsDelete(options, io);
    });
}
