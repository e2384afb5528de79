/** `keyscope bench [suites...]`. */
import type { Command } from 'commander';

import type { RunRecord } from '../../model/index.js';
import type { BenchCommandOptions } from '../bench-command.js';
import type { CommandContext, CliIO } from '../command-context.js';
import { formatError } from '../exit-status.js';
import type { StoreOption } from '../runs-command.js';
import { dbOption } from './store-options.js';

type BenchOptions = BenchCommandOptions & StoreOption & { report?: string };

export function register(program: Command, { io, analytics, exit }: CommandContext): void {
  program
    .command('bench')
    .description('run benchmark suites from bench/ or built in (default: the "default" suite), store the run and print a summary')
    .argument('[suites...]', 'suite names or globs, e.g. default "rsa-*"')
    .option('--quick', 'a smoke run, not a measurement: the default suite keeps ec-p256, ed25519 and rsa-2048 (all implementations) and ec-p256 throughput; every case stops at 0.4 s (RSA 1.5 s), though each RSA block takes at least one key; about a minute')
    .option('--label <name>', 'tag the run, e.g. baseline or a branch name')
    .option('--dir <dir>', 'where your suites live (default: ./bench); built-in suites fill in names it lacks')
    .option('--cpu <n>', 'pin the whole run to CPU n (default: rounds alternate over every CPU the process may use, and compare judges each case on its faster CPU)')
    .option('--no-pin', 'do not pin the process to a CPU')
    .option('--blocks <n>', 'measure each case in n blocks spread across the run (default: 20; 16 with --quick)')
    .option('--branch <name>', 'the git branch the run is recorded on (default: the CI\'s branch variable, else git\'s)')
    .option('--commit <sha>', 'the commit the run is recorded for (default: git\'s HEAD, else the CI\'s variable)')
    .option('--testbed <name>', 'where the run\'s numbers are comparable (default: a hash of the CPU, core count, OS, Node, OpenSSL and addon build)')
    .option('--save-baseline <name>', 'save the run as baseline NAME of its testbed, for compare --baseline NAME')
    .option('--json', 'print the run as JSON instead of the table')
    .option('--quiet', 'print only the summary table: no progress, notices or "saved to" line')
    .option(...dbOption)
    .option('--report <file>', 'then write an HTML report of the run (compared with its baseline) to FILE')
    .action(async (suites: string[], options: BenchOptions) => {
      const [{ runBench }, { saveRunToStore }] = await Promise.all([import('../bench-command.js'), import('../runs-command.js')]);
      const save = async (run: RunRecord) => {
        const saved = await saveRunToStore(run, options);
        analytics.benchRun(run);
        return saved;
      };
      exit.code = await runBench(suites, options, { ...io, save });
      if (options.report) await reportAfterBench(options.report, options, io);
    });
}

/** The bench's run is already stored: a report that cannot be written costs a warning, not the run. */
async function reportAfterBench(out: string, options: StoreOption, io: CliIO): Promise<void> {
  try {
    const { writeReport } = await import('../report-command.js');
    io.stderr.write(`keyscope: ${await writeReport([], { out, history: '20', threshold: '5%', confidence: '99%', db: options.db })}\n`);
  } catch (error) {
    io.stderr.write(`keyscope: warning: the run is stored but its report was not written: ${formatError(error).replace(/^keyscope: /, '')}\n`);
  }
}
