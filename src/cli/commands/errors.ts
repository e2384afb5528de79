/** `keyscope errors list|show|resolve`. */
import type { Command } from 'commander';

import type { CommandContext } from '../command-context.js';
import type { ErrorsListOptions, ErrorsShowOptions } from '../errors-command.js';

const errorsCommand = () => import('../errors-command.js');

export function register(program: Command, { io, exit }: CommandContext): void {
  const errors = program.command('errors').description('the errors keyscope recorded (errors scope), grouped by fingerprint');
  errors
    .command('list')
    .description('error groups, most recently seen first')
    .option('--status <status>', 'open, resolved, regressed or all', 'all')
    .option('--json', 'print JSON')
    .action(async (options: ErrorsListOptions) => {
      exit.code = await (await errorsCommand()).errorsList(options, io);
    });
  errors
    .command('show')
    .argument('<fingerprint>', 'a fingerprint or its first digits (at least 4)')
    .description('one group: frames, OpenSSL reason, versions and recent occurrences')
    .option('--json', 'print JSON')
    .action(async (fingerprint: string, options: ErrorsShowOptions) => {
      exit.code = await (await errorsCommand()).errorsShow(fingerprint, options, io);
    });
  errors
    .command('resolve')
    .argument('<fingerprint>', 'a fingerprint or its first digits (at least 4)')
    .description('mark a group resolved: seeing it again later marks it regressed')
    .action(async (fingerprint: string) => {
      exit.code = await (await errorsCommand()).errorsResolve(fingerprint, {}, io);
    });
}
