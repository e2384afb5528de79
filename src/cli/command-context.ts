/**
 * What main() gives each command's registration: made anew for every main() call, so that nothing a command
 * sets (its exit status above all) can reach another call in the same process.
 */
import type { Command } from 'commander';

import type { AnalyticsEvent } from '../analytics/events/index.js';
import type { RunRecord } from '../model/index.js';

/** What every command reads and writes. */
export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** What main() gives the commands. */
export interface CliIO extends CommandIO {
  /** The process's: commands' notices and counts go where main() writes its error line. */
  stderr: NodeJS.WriteStream;
  /** Where `analytics delete` asks for confirmation; default: the process's. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** The values a `command` event may carry besides the command's name, its outcome and the names of the options given. */
export type CommandValues = Pick<Extract<AnalyticsEvent, { type: 'command' }>, 'algorithm' | 'format'>;

/** What a command's `command` event records, declared by the command as it registers (PRIVACY.md lists every field). */
export interface CommandRecording {
  /** false: the command manages analytics itself, so nothing about it is recorded and it never shows the first-run notice. */
  recorded?: false;
  /** Read from the parsed command when it runs; each value from a closed set, never as typed. */
  values?: (command: Command) => CommandValues;
}

/** What a command tells analytics: what its `command` event may carry, and a stored bench run's summary. */
export interface CommandAnalytics {
  declare(command: Command, recording: CommandRecording): void;
  benchRun(run: RunRecord): void;
}

/** How the command that ran wants main() to exit. */
export interface ExitStatus {
  /** When the action returns: 0 unless its success is not all-or-nothing (bench: an errored case; compare: a regression). */
  code: number;
  /** When it throws: null for the usual status by error kind (exit-status.ts), else this one. */
  failureCode: number | null;
}

export interface CommandContext {
  io: CliIO;
  analytics: CommandAnalytics;
  exit: ExitStatus;
}

/** Each command's file exports one: it adds the command (its arguments, options, help and action) to the program. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;
