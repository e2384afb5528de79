/**
 * The keyscope CLI. Thin by design: each command parses its arguments, calls the library, and prints.
 *
 * Each command registers itself (commands/*.ts); this file is the program around them and the one place a
 * failure becomes an error line and an exit status. Registrations stay light because every run registers every
 * command: each loads what it runs only when it runs (DuckDB alone takes ~0.4 s to load, which `keygen` never needs).
 */
import { Command, CommanderError } from 'commander';

import { ErrorCodes, KeyscopeError, keyscopeVersion } from '../core/index.js';
import { CliAnalytics } from './cli-analytics.js';
import type { CliIO, CommandContext, ExitStatus, RegisterCommand } from './command-context.js';
import * as algorithms from './commands/algorithms.js';
import * as ab from './commands/ab.js';
import * as alerts from './commands/alerts.js';
import * as analytics from './commands/analytics.js';
import * as bench from './commands/bench.js';
import * as compare from './commands/compare.js';
import * as dashboard from './commands/dashboard.js';
import * as errors from './commands/errors.js';
import * as history from './commands/history.js';
import * as changes from './commands/changes.js';
import * as info from './commands/info.js';
import * as keygen from './commands/keygen.js';
import * as recommend from './commands/recommend.js';
import * as report from './commands/report.js';
import * as push from './commands/push.js';
import * as runs from './commands/runs.js';
import * as server from './commands/server.js';
import { exitStatusFor, formatError } from './exit-status.js';

/** In the order `keyscope --help` lists them. */
const commands: readonly { register: RegisterCommand }[] = [keygen, bench, ab, runs, compare, history, changes, push, server, report, analytics, errors, dashboard, alerts, recommend, algorithms, info];

/** What main() reads and writes; stdin and stderr default to the process's. */
export interface MainIO extends Pick<CliIO, 'stdout' | 'stdin' | 'env'> {
  /** Where the analytics notice and warnings go (its being a terminal makes the notice due); commands use the process's. */
  stderr?: NodeJS.WriteStream;
}

function buildProgram(context: CommandContext, cliAnalytics: CliAnalytics): Command {
  const program = new Command('keyscope')
    .description('Generate cryptographic keys with OpenSSL and measure what each generation costs.')
    .version(keyscopeVersion, '-V, --version', 'print the keyscope version')
    .exitOverride()
    .configureOutput({ writeErr: () => {} }) // errors are reported once, by main(), as one line
    .showSuggestionAfterError(true)
    .hook('preAction', (_program, actionCommand) => cliAnalytics.commandStarting(actionCommand));
  for (const command of commands) command.register(program, context);
  return program;
}

function commanderToKeyscope(error: CommanderError): KeyscopeError {
  const message = error.message.replace(/^error:\s*/i, '');
  return new KeyscopeError(ErrorCodes.usage, message);
}

/** Runs the CLI; resolves with the exit status instead of exiting, so tests can call it in-process. */
export async function main(argv: readonly string[], io: MainIO = { stdout: process.stdout, env: process.env }): Promise<number> {
  const cliAnalytics = new CliAnalytics({ env: io.env, stderr: io.stderr ?? process.stderr }, argv);
  const exit: ExitStatus = { code: 0, failureCode: null };
  const program = buildProgram({ io: { ...io, stderr: process.stderr }, analytics: cliAnalytics, exit }, cliAnalytics);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    await cliAnalytics.commandEnded({ exitCode: exit.code });
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with their output already printed.
      if (error.exitCode === 0) return 0;
      const usage = commanderToKeyscope(error);
      process.stderr.write(`${formatError(usage)}\n`);
      await cliAnalytics.commandEnded({ exitCode: 2, error: usage, program });
      return 2;
    }
    process.stderr.write(`${formatError(error)}\n`);
    const status = exit.failureCode ?? exitStatusFor(error);
    await cliAnalytics.commandEnded({ exitCode: status, error });
    return status;
  }
}
