/**
 * The keyscope CLI. Thin by design: each command parses its arguments, calls the library, and prints.
 */
import { Command, CommanderError, Option } from 'commander';

import { listAlgorithms } from '../core/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { opensslInfo } from '../core/index.js';
import { keyscopeVersion } from '../core/index.js';
import { exitStatusFor, formatError } from './exit-status.js';
import type { BenchCommandOptions } from './bench-command.js';
import type { CompareCommandOptions } from './compare-command.js';
import type { CommandIO, KeygenCommandOptions } from './keygen-command.js';
import type { RunRecord } from '../model/index.js';
import type { ReportCommandOptions } from './report-command.js';
import type { StoreOption } from './runs-command.js';
import type { AnalyticsDeleteOptions, AnalyticsExportOptions, AnalyticsInspectOptions } from './analytics-data-command.js';
import type { ErrorsListOptions, ErrorsShowOptions } from './errors-command.js';
import type { AlertsCommandOptions } from './alerts-command.js';
import type { RecommendCommandOptions } from './recommend-command.js';
import type { DashboardCommandOptions } from './dashboard-command.js';
import { CliAnalytics } from './cli-analytics.js';

// Commands load their modules when they run: DuckDB alone takes ~0.4 s to load, which `keygen` never needs.
const benchCommand = () => import('./bench-command.js');
const compareCommand = () => import('./compare-command.js');
const keygenCommand = () => import('./keygen-command.js');
const reportCommand = () => import('./report-command.js');
const runsCommand = () => import('./runs-command.js');
const analyticsCommand = () => import('./analytics-command.js');
const analyticsDataCommand = () => import('./analytics-data-command.js');
const errorsCommand = () => import('./errors-command.js');
const alertsCommand = () => import('./alerts-command.js');
const recommendCommand = () => import('./recommend-command.js');
const dashboardCommand = () => import('./dashboard-command.js');

function printJson(io: CommandIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Set by commands whose success is not all-or-nothing (bench: an errored case, an aborted run). */
let exitCode = 0;
/** compare keeps exit 1 for "regression": any failure of its own must exit 2, never look like a verdict. */
let failuresExitWith: number | null = null;

/** Every command that reads or writes the run store names it --db (as KEYSCOPE_DB does). */
const dbOption = ['--db <path>', 'run store (default: $KEYSCOPE_DB or .keyscope/keyscope.duckdb)'] as const;

/** --store: dashboard's and recommend's first name for --db, still accepted there but no longer shown. */
interface StoreAlias {
  store?: string;
}
const storeAlias = () => new Option('--store <path>', 'same as --db').hideHelp().conflicts('db');
function fromStoreAlias<T extends StoreOption>({ store, ...options }: T & StoreAlias): T {
  return { ...options, db: options.db ?? store } as T;
}

/** What main() reads and writes; stdin and stderr default to the process's (`analytics delete` confirms on them). */
export interface MainIO extends CommandIO {
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr?: NodeJS.WriteStream;
}

function buildProgram(io: CommandIO, analytics: CliAnalytics): Command {
  const program = new Command('keyscope')
    .description('Generate cryptographic keys with OpenSSL and measure what each generation costs.')
    .version(keyscopeVersion, '-V, --version', 'print the keyscope version')
    .exitOverride()
    .configureOutput({ writeErr: () => {} }) // errors are reported once, by main(), as one line
    .showSuggestionAfterError(true)
    .hook('preAction', (_program, actionCommand) => analytics.commandStarting(actionCommand));

  program
    .command('keygen')
    .description('generate a key pair; the public key goes to stdout, the private key only where --out says')
    .argument('<algorithm>', 'algorithm id, e.g. ed25519, ec-p256, rsa-3072 (see "keyscope algorithms")')
    .option('--out <file>', 'write the private key (PKCS#8) to FILE with mode 0600, or to stdout with "-"')
    .option('--pub-out <file>', 'write the public key (SPKI) to FILE instead of stdout ("-" for stdout)')
    .addOption(new Option('--format <format>', 'key encoding').choices(['pem', 'der', 'jwk']).default('pem'))
    .option('--passphrase-env <var>', 'encrypt the private key with the passphrase in environment variable VAR')
    .option('--force', 'replace existing files')
    .option('--json', 'print a JSON description (with the fingerprint) instead of raw keys')
    .option('--allow-weak', 'allow RSA moduli from 1024 to 2047 bits')
    .action(async (algorithm: string, options: KeygenCommandOptions) => (await keygenCommand()).runKeygen(algorithm, options, io));

  program
    .command('bench')
    .description('run benchmark suites from bench/ or built in (default: the "default" suite), store the run and print a summary')
    .argument('[suites...]', 'suite names or globs, e.g. default "rsa-*"')
    .option('--quick', 'a smoke run, not a measurement: the default suite keeps ec-p256, ed25519 and rsa-2048 (all implementations) and ec-p256 throughput; every case stops at 0.4 s (RSA 1.5 s); about half a minute')
    .option('--label <name>', 'tag the run, e.g. baseline or a branch name')
    .option('--dir <dir>', 'where your suites live (default: ./bench); built-in suites fill in names it lacks')
    .option('--cpu <n>', 'pin the process to CPU n (default: the last CPU)')
    .option('--no-pin', 'do not pin the process to one CPU')
    .option('--json', 'print the run as JSON instead of the table')
    .option('--quiet', 'print only the summary table: no progress, notices or "saved to" line')
    .option(...dbOption)
    .option('--report <file>', 'then write an HTML report of the run (compared with its baseline) to FILE')
    .action(async (suites: string[], options: BenchCommandOptions & StoreOption & { report?: string }) => {
      const [{ runBench }, { saveRunToStore }] = await Promise.all([benchCommand(), runsCommand()]);
      const save = async (run: RunRecord) => {
        const saved = await saveRunToStore(run, options);
        analytics.benchRun(run);
        return saved;
      };
      exitCode = await runBench(suites, options, { ...io, stderr: process.stderr, save });
      if (options.report) await reportAfterBench(options.report, options);
    });

  const runs = program.command('runs').description('list, show, export, import and delete stored runs');
  runs
    .command('list')
    .description('the stored runs, newest first')
    .option(...dbOption)
    .option('--json', 'print JSON')
    .action(async (options: StoreOption & { json?: boolean }) => (await runsCommand()).runsList(options, io));
  runs
    .command('show')
    .argument('<run>', 'run id (or its start), label (the latest run with it) or exported file')
    .description('a run: environment and per-case summary')
    .option(...dbOption)
    .option('--json', 'print the whole run (samples included) as JSON')
    .action(async (id: string, options: StoreOption & { json?: boolean }) => (await runsCommand()).runsShow(id, options, io));
  runs
    .command('export')
    .argument('<run>', 'run id (or its start) or label (the latest run with it)')
    .description('write a run to a portable file: .json, or .parquet for large runs')
    .requiredOption('--out <file>', 'file to write (.json or .parquet)')
    .option('--force', 'replace the file if it exists')
    .option(...dbOption)
    .action(async (id: string, options: StoreOption & { out: string; force?: boolean }) => (await runsCommand()).runsExport(id, options, io));
  runs
    .command('import')
    .argument('<file>', 'a file written by runs export')
    .description('load an exported run, unchanged (e.g. a baseline from main in a pull request job)')
    .option(...dbOption)
    .action(async (file: string, options: StoreOption) => (await runsCommand()).runsImport(file, options, io));
  runs
    .command('delete')
    .argument('<run>', 'run id (or its start) or label (the latest run with it)')
    .description('remove a run and its samples')
    .option(...dbOption)
    .action(async (id: string, options: StoreOption) => (await runsCommand()).runsDelete(id, options, io));

  program
    .command('compare')
    .description('compare two runs case by case: exit 0 no regression, 1 regression, 2 usage or data error')
    .argument('[baseline]', 'run id (or its start), label or exported file (default: latest "baseline" run, else the previous run)')
    .argument('[candidate]', 'run id (or its start), label or exported file (default: the latest run)')
    .option('--threshold <proportion>', 'slower by more than this is a regression: 5% or 0.05 (a bare number is a fraction)', '5%')
    .option('--confidence <proportion>', 'confidence of every interval and verdict: 99% or 0.99', '99%')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'md', 'json']).default('text'))
    .option('--strict', 'refuse to gate when CPU, Node, OpenSSL or addon build differ')
    .option(...dbOption)
    .action(async (baseline: string | undefined, candidate: string | undefined, options: CompareCommandOptions) => {
      failuresExitWith = 2;
      const color = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
      exitCode = (await (await compareCommand()).runCompare(baseline, candidate, options, { ...io, color })).exitCode;
    });

  program
    .command('report')
    .description('write one self-contained HTML report: distributions, comparison, history, counters, environment')
    .argument('[runs...]', 'run ids (or their start), labels or exported files; the first is the baseline (default: the latest run and its baseline)')
    .option('--out <file>', 'where to write it (default: reports/run-<id>.html)')
    .option('--history <n>', 'runs of history per case, of the last run\'s label or branch', '20')
    .option('--threshold <proportion>', 'regression threshold for the comparison: 5% or 0.05', '5%')
    .option('--confidence <proportion>', 'confidence of the comparison: 99% or 0.99', '99%')
    .option(...dbOption)
    .action(async (runs: string[], options: ReportCommandOptions) => (await reportCommand()).runReport(runs, options, io));

  const analyticsGroup = program
    .command('analytics')
    .description('local usage analytics: consent, status and data (nothing leaves this machine)');
  const withStderr = { ...io, stderr: process.stderr };
  analyticsGroup
    .command('status')
    .description('whether analytics records, why, which scopes, the install id, the consent ledger and pending data')
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }) => {
      exitCode = (await analyticsCommand()).analyticsStatus([], options, withStderr);
    });
  analyticsGroup
    .command('enable')
    .argument('[scopes...]', 'usage, performance, errors, security (default: all)')
    .description('allow analytics scopes (recorded in the consent ledger)')
    .action(async (scopes: string[]) => {
      exitCode = (await analyticsCommand()).analyticsEnable(scopes, {}, withStderr);
    });
  analyticsGroup
    .command('disable')
    .argument('[scopes...]', 'usage, performance, errors, security (default: all)')
    .description('stop analytics scopes (recorded in the consent ledger)')
    .action(async (scopes: string[]) => {
      exitCode = (await analyticsCommand()).analyticsDisable(scopes, {}, withStderr);
    });
  analyticsGroup
    .command('rotate-id')
    .description('replace the random install id that groups recorded events')
    .action(async () => {
      exitCode = (await analyticsCommand()).analyticsRotateId([], {}, withStderr);
    });
  analyticsGroup
    .command('inspect')
    .description('what analytics has recorded: counts per scope and type, time range, size, the last 20 events')
    .option('--json', 'print JSON')
    .action(async (options: AnalyticsInspectOptions) => {
      await (await analyticsDataCommand()).analyticsInspect(options, withStderr);
    });
  analyticsGroup
    .command('export')
    .description('write the recorded events as JSON, CSV or Parquet (stdout unless --out; counts go to stderr)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'parquet']).default('json'))
    .option('--out <file>', 'write to this file (required for parquet)')
    .option('--scope <scope...>', 'only these scopes (usage, performance, errors, security)')
    .option('--since <when>', 'from this ISO date or this long ago (30d, 12h, 2w)')
    .option('--until <when>', 'before this ISO date or this long ago')
    .action(async (options: AnalyticsExportOptions) => {
      await (await analyticsDataCommand()).analyticsExport(options, withStderr);
    });
  analyticsGroup
    .command('delete')
    .description('delete recorded events: all, by scope, or by time range; the file is rewritten so they are gone')
    .option('--all', 'every event and error group')
    .option('--scope <scope...>', 'the events of these scopes')
    .option('--since <when>', 'events from this ISO date or this long ago (30d)')
    .option('--until <when>', 'events before this ISO date or this long ago')
    .option('--yes', 'do not ask for confirmation (required when not interactive)')
    .action(async (options: AnalyticsDeleteOptions) => {
      await (await analyticsDataCommand()).analyticsDelete(options, withStderr);
    });

  const errors = program.command('errors').description('the errors keyscope recorded (errors scope), grouped by fingerprint');
  errors
    .command('list')
    .description('error groups, most recently seen first')
    .option('--status <status>', 'open, resolved, regressed or all', 'all')
    .option('--json', 'print JSON')
    .action(async (options: ErrorsListOptions) => {
      exitCode = await (await errorsCommand()).errorsList(options, withStderr);
    });
  errors
    .command('show')
    .argument('<fingerprint>', 'a fingerprint or its first digits (at least 4)')
    .description('one group: frames, OpenSSL reason, versions and recent occurrences')
    .option('--json', 'print JSON')
    .action(async (fingerprint: string, options: ErrorsShowOptions) => {
      exitCode = await (await errorsCommand()).errorsShow(fingerprint, options, withStderr);
    });
  errors
    .command('resolve')
    .argument('<fingerprint>', 'a fingerprint or its first digits (at least 4)')
    .description('mark a group resolved: seeing it again later marks it regressed')
    .action(async (fingerprint: string) => {
      exitCode = await (await errorsCommand()).errorsResolve(fingerprint, {}, withStderr);
    });

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
      exitCode = await (await dashboardCommand()).dashboardCommand(fromStoreAlias(options), withStderr);
    });

  program
    .command('alerts')
    .description('evaluate the alert rules (thresholds, built-in security rules, anomaly detection) over the analytics data')
    .option('--rules <file>', 'rules file, .json, .yaml or .yml (default: $KEYSCOPE_HOME/alerts.yaml, .yml or .json if present)')
    .option('--since <duration>', 'look back this far for the built-in security rules (e.g. 24h; default: each rule\'s lookback)')
    .option('--json', 'print JSON')
    .option('--webhook <url>', 'POST the alerts to this URL when any fire (overrides the rules file\'s webhook)')
    .option('--fail-on <severity>', 'exit 1 when an alert of this severity or above fires: info, warning or critical')
    .action(async (options: AlertsCommandOptions) => {
      exitCode = await (await alertsCommand()).alertsCommand(options, withStderr);
    });

  program
    .command('recommend')
    .description('data-driven suggestions with their evidence, from analytics and the newest bench run')
    .option('--since <when>', 'look back to this ISO date or this long ago (30d, 12h, 2w; default 30d)')
    .option(...dbOption)
    .addOption(storeAlias())
    .option('--all', 'every finding, not only the top 5')
    .option('--json', 'print JSON')
    .action(async (options: RecommendCommandOptions & StoreAlias) => {
      exitCode = await (await recommendCommand()).recommendCommand(fromStoreAlias(options), withStderr);
    });

  program
    .command('algorithms')
    .description('list the algorithms and whether this OpenSSL supports them')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const algorithms = listAlgorithms();
      if (options.json) return printJson(io, algorithms);
      for (const a of algorithms) {
        const status = a.supported ? 'supported' : `unsupported: ${a.reason}`;
        io.stdout.write(`${a.id.padEnd(14)} ${a.family.padEnd(7)} ${String(a.securityBits).padStart(3)}-bit  ${a.usages.join(',').padEnd(12)} ${status}\n`);
      }
    });

  program
    .command('info')
    .description("show the OpenSSL keyscope runs on (always node:crypto's own)")
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const info = opensslInfo();
      if (options.json) return printJson(io, info);
      io.stdout.write(`OpenSSL ${info.version} (headers ${info.headerVersion}; node:crypto ${info.nodeCryptoVersion})\n`);
      io.stdout.write(`providers: ${info.providers.join(', ')}\n`);
    });

  return program;
}

/** The bench's run is already stored: a report that cannot be written costs a warning, not the run. */
async function reportAfterBench(out: string, options: StoreOption): Promise<void> {
  try {
    process.stderr.write(`keyscope: ${await (await reportCommand()).writeReport([], { out, history: '20', threshold: '5%', confidence: '99%', db: options.db })}\n`);
  } catch (error) {
    process.stderr.write(`keyscope: warning: the run is stored but its report was not written: ${formatError(error).replace(/^keyscope: /, '')}\n`);
  }
}

function commanderToKeyscope(error: CommanderError): KeyscopeError {
  const message = error.message.replace(/^error:\s*/i, '');
  return new KeyscopeError(ErrorCodes.usage, message);
}

/** Runs the CLI; resolves with the exit status instead of exiting, so tests can call it in-process. */
export async function main(argv: readonly string[], io: MainIO = { stdout: process.stdout, env: process.env }): Promise<number> {
  const analytics = new CliAnalytics({ env: io.env, stderr: io.stderr ?? process.stderr }, argv);
  const program = buildProgram(io, analytics);
  exitCode = 0;
  failuresExitWith = null;
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    await analytics.commandEnded({ exitCode });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with their output already printed.
      if (error.exitCode === 0) return 0;
      const usage = commanderToKeyscope(error);
      process.stderr.write(`${formatError(usage)}\n`);
      await analytics.commandEnded({ exitCode: 2, error: usage, program });
      return 2;
    }
    process.stderr.write(`${formatError(error)}\n`);
    const status = failuresExitWith ?? exitStatusFor(error);
    await analytics.commandEnded({ exitCode: status, error });
    return status;
  }
}
