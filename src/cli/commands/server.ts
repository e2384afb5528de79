/** `keyscope server` and `keyscope server token create|list|revoke`. */
import type { Command } from 'commander';

import type { CommandContext } from '../command-context.js';
import type { DatabaseOption, ServerCommandOptions } from '../server-command.js';

const serverCommand = () => import('../server-command.js');
const databaseOption = ['--database <url>', 'the PostgreSQL database, postgres://user:password@host:port/name (default: $KEYSCOPE_DATABASE_URL)'] as const;

export function register(program: Command, { io }: CommandContext): void {
  const server = program
    .command('server')
    .description("the team's keyscope server on PostgreSQL: run history for CI, behind project tokens (runs until Ctrl-C)")
    .option(...databaseOption)
    .option('--host <host>', 'address to listen on (anything but loopback is reachable from other machines)', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', '7480')
    .option('--body-limit <MiB>', 'largest request accepted, MiB (a run of 1M samples is about 20 MiB)', '256')
    .option('--rate-limit <n>', 'requests a minute per token', '600')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM), with --tls-key')
    .option('--tls-key <file>', "the certificate's private key (PEM)")
    .action(async (options: ServerCommandOptions) => (await serverCommand()).runServerCommand(options, io));

  const token = server.command('token').description("the server's access tokens (run with the database's credentials)");
  token
    .command('create')
    .description('make a token for a project and print it, alone, on stdout (it is shown this once)')
    .requiredOption('--project <name>', 'the project the token sees (made when first named)')
    .requiredOption('--scope <scopes>', 'comma-separated: runs:write, runs:read, analytics:write, analytics:read, admin')
    .option('--name <text>', 'what the token is for, shown by token list (e.g. "CI of main")')
    .option('--expires <when>', 'days from now (30d) or a date (2027-06-30)')
    .option(...databaseOption)
    .action(async (options: DatabaseOption & { project: string; scope: string; name?: string; expires?: string }) => (await serverCommand()).tokenCreate(options, io));
  token
    .command('list')
    .description('every token: id, project, scopes, expiry, state, last use (never the secret)')
    .option('--project <name>', 'only this project')
    .option('--json', 'print JSON')
    .option(...databaseOption)
    .action(async (options: DatabaseOption & { project?: string; json?: boolean }) => (await serverCommand()).tokenList(options, io));
  token
    .command('revoke')
    .argument('<id>', 'the token id from token list (or the token itself)')
    .description('revoke a token: every request with it is refused from now on')
    .option(...databaseOption)
    .action(async (id: string, options: DatabaseOption) => (await serverCommand()).tokenRevoke(id, options, io));
}
