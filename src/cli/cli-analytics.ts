/**
 * What the CLI records about itself, with consent: the command (its name and the names of the options given,
 * never their values), its outcome and duration, the error if it failed, and a bench run's summary. Consent is
 * settled just before a command's action runs (never asked: undecided is off), and the first-run notice, when
 * due, is printed after the command ends, so it never lands inside a command's output or holds it up.
 * `--help`, a typo and the commands declared unrecorded (`analytics`) never show it. Which values a command's
 * event carries besides its option names, each command declares as it registers (CommandRecording).
 */
import type { Command } from 'commander';

import { type AnalyticsRuntime, continueCliSession, type EffectiveConsent, errorCodeOf, resolveConsent, startAnalytics } from '../analytics/capture/index.js';
import { type AnalyticsPaths, type BenchRunEvent, resolveAnalyticsPaths, unknownCommandName } from '../analytics/events/index.js';
import { listPendingSpools } from '../analytics/spool/index.js';
import { isAlgorithmId } from '../core/index.js';
import type { RunRecord } from '../model/index.js';
import { settleCliConsent, showFirstRunNotice } from './analytics-consent.js';
import type { CommandAnalytics, CommandRecording, CommandValues } from './command-context.js';

export interface CliAnalyticsIO {
  env: NodeJS.ProcessEnv;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

interface CommandInfo extends CommandValues {
  path: string[];
  options: string[];
  startedAt: number;
}

function commandPath(command: Command): string[] {
  const path: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) path.unshift(c.name());
  return path;
}

/**
 * The command a command line names when commander refused it before its action (an unknown option, a
 * missing argument, an unknown command): the longest run of known command names from the start, and only
 * the option names that command declares. Nothing that was typed is kept unless it is one of keyscope's
 * own names.
 */
function describeRefused(program: Command, argv: readonly string[]): CommandInfo {
  const path: string[] = [];
  let command = program;
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    const next = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (next === undefined) break;
    path.push(next.name());
    command = next;
  }
  const declared = new Set(command.options.map((option) => option.long).filter((long): long is string => long !== undefined));
  const options = [...new Set(argv.map((arg) => arg.split('=')[0]!).filter((arg) => declared.has(arg)))];
  return { path, options, startedAt: Date.now() };
}

function describeCommand(command: Command, recording: CommandRecording | undefined): CommandInfo {
  const options = command.options
    .filter((option) => command.getOptionValueSource(option.attributeName()) === 'cli' && option.long)
    .map((option) => option.long!);
  const { algorithm, format } = recording?.values?.(command) ?? {};
  return {
    path: commandPath(command),
    options,
    ...(algorithm === undefined ? {} : { algorithm }),
    ...(format === undefined ? {} : { format }),
    startedAt: Date.now(),
  };
}

/**
 * Spool files left by this many processes make the CLI ingest them on its way out. Each recording CLI run
 * leaves a small spool file or two, and only processes that open the database ingest; without this, someone
 * who records but never runs an analytics command would pile them up. Opening DuckDB costs about half a second,
 * so it happens once every few dozen commands rather than every time.
 */
export const backlogFiles = 64;

async function ingestBacklog(paths: AnalyticsPaths): Promise<void> {
  try {
    // Only files ingest can finish (their writer is gone): a live process's or an unreadable one would stay.
    if (listPendingSpools(paths.spoolDir).filter((spool) => spool.writerGone).length < backlogFiles) return;
    // Loaded only now: the warehouse brings DuckDB (~0.4 s), which the command itself may never need (keygen).
    const { openAnalyticsDatabase } = await import('../analytics/warehouse/index.js');
    // Never wait for a process that holds the database: it ingests the backlog itself.
    const db = await openAnalyticsDatabase({ paths, busyWaitMs: 0 });
    await db.close();
  } catch {
    // Best effort: the spools stay for the next process that opens the database.
  }
}

/** The consent already decided, with no notice due (resolveConsent never throws). */
function decidedConsent(env: NodeJS.ProcessEnv, paths: AnalyticsPaths): { consent: EffectiveConsent; warnings: string[]; notice: null } {
  const { consent, warning } = resolveConsent({ env, paths, surface: 'cli', interactive: false });
  return { consent, warnings: warning ? [warning] : [], notice: null };
}

export class CliAnalytics implements CommandAnalytics {
  #runtime: AnalyticsRuntime | null = null;
  #command: CommandInfo | null = null;
  #settled = false;
  #notice: string | null = null;
  /** By command path ("keygen", "analytics"): what each command declared; a subcommand inherits its group's. */
  readonly #recordings = new Map<string, CommandRecording>();

  constructor(
    private readonly io: CliAnalyticsIO,
    private readonly argv: readonly string[],
  ) {}

  /** A command's registration says what its event carries (or that it records nothing). */
  declare(command: Command, recording: CommandRecording): void {
    this.#recordings.set(commandPath(command).join(' '), recording);
  }

  #recordingOf(path: readonly string[]): CommandRecording | undefined {
    for (let length = path.length; length > 0; length--) {
      const recording = this.#recordings.get(path.slice(0, length).join(' '));
      if (recording) return recording;
    }
    return undefined;
  }

  /** Decided by the command line's first word, so that even an unrecorded command's usage errors stay unrecorded. */
  get #unrecorded(): boolean {
    return this.#recordings.get(this.argv.find((arg) => !arg.startsWith('-')) ?? '')?.recorded === false;
  }

  /** The commander preAction hook: settle consent (never asking), then start recording if allowed. */
  commandStarting(command: Command): void {
    if (this.#unrecorded) return;
    this.#command = describeCommand(command, this.#recordingOf(commandPath(command)));
    // --quiet promises nothing but the command's own output: the notice waits for a run that is not quiet.
    this.#start({ noticeAllowed: command.opts()['quiet'] !== true });
  }

  /**
   * The command finished (or failed): one command event, with the error's code if it failed, and an error
   * event if that error is a failure rather than an outcome (runtime.recordError decides). `program` names the
   * command of a command line commander refused before any action.
   */
  async commandEnded(result: { exitCode: number; error?: unknown; program?: Command }): Promise<void> {
    if (this.#unrecorded) return;
    const info = this.#command ?? (result.error !== undefined && result.program ? describeRefused(result.program, this.argv) : null);
    try {
      if (result.error !== undefined && !this.#settled && !this.#command) {
        // A usage error before any action (unknown option, missing argument): record it only if consent is
        // already decided; a typo is no occasion for the notice.
        this.#start({ noticeAllowed: false });
      }
      const runtime = this.#runtime;
      if (!runtime) return;
      const operation = info && info.path.length > 0 ? `cli ${info.path.join(' ')}` : 'cli';
      if (result.error !== undefined) runtime.recordError(result.error, { operation, ...(info?.algorithm ? { algorithm: info.algorithm } : {}) });
      if (info) {
        const code = result.error === undefined ? null : errorCodeOf(result.error);
        runtime.recorder.record({
          type: 'command',
          scope: 'usage',
          command: info.path.length > 0 ? info.path.join(' ') : unknownCommandName,
          options: info.options,
          ...(info.algorithm ? { algorithm: info.algorithm } : {}),
          ...(info.format ? { format: info.format } : {}),
          outcome: result.error === undefined && result.exitCode === 0 ? 'ok' : 'error',
          ...(code === null ? {} : { code }),
          exitCode: result.exitCode,
          durationMs: Date.now() - info.startedAt,
        });
      }
    } finally {
      const stopped = this.#runtime;
      stopped?.stop();
      this.#runtime = null;
      if (stopped) await ingestBacklog(resolveAnalyticsPaths(this.io.env));
      // Last, after everything the command printed (its error line included).
      if (this.#notice !== null) showFirstRunNotice(this.io.stderr, this.#notice, resolveAnalyticsPaths(this.io.env));
      this.#notice = null;
    }
  }

  /** A stored bench run's summary (performance): cases, outcomes and medians, never samples. */
  benchRun(run: RunRecord): void {
    const recorder = this.#runtime?.recorder;
    if (!recorder?.enabled('performance')) return;
    const summaries: BenchRunEvent['summaries'] = [];
    for (const c of run.cases) {
      if (c.state !== 'completed') continue;
      summaries.push({
        suite: c.key.suite,
        case: c.key.case,
        algorithm: isAlgorithmId(c.key.algorithm) ? c.key.algorithm : null,
        samples: c.summary.ns.count,
        medianNs: c.summary.ns.median,
      });
    }
    recorder.record({
      type: 'bench.run',
      scope: 'performance',
      cases: run.cases.length,
      completed: run.cases.filter((c) => c.state === 'completed').length,
      errored: run.cases.filter((c) => c.state === 'errored').length,
      durationMs: Math.max(0, Date.parse(run.endedAt) - Date.parse(run.startedAt)),
      summaries,
    });
  }

  #start({ noticeAllowed }: { noticeAllowed: boolean }): void {
    if (this.#settled) return;
    this.#settled = true;
    const { env, stderr } = this.io;
    const paths = resolveAnalyticsPaths(env);
    const { consent, warnings, notice } = noticeAllowed ? settleCliConsent({ env, stderr, paths }) : decidedConsent(env, paths);
    this.#notice = notice;
    for (const line of warnings) stderr.write(`${line}\n`);
    if (consent.scopes.size === 0) return;
    const session = continueCliSession(paths);
    this.#runtime = startAnalytics({
      consent,
      paths,
      surface: 'cli',
      sessionId: session.sessionId,
      isNewSession: session.isNew,
      debug: env['KEYSCOPE_ANALYTICS_DEBUG'] === '1' ? stderr : null,
      onWarning: (line) => stderr.write(`${line}\n`),
    });
  }
}
