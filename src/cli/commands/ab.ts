/** `keyscope ab --baseline DIR [suites...]`. */
import { type Command, Option } from 'commander';

import type { AbCommandOptions } from '../ab-command.js';
import type { CommandContext } from '../command-context.js';

/** Pairs measured back to back resolve changes far smaller than separate runs: the session judges at 2%, not compare's 5%. */
const defaultAbThreshold = '2%';

export function register(program: Command, { io, exit }: CommandContext): void {
  program
    .command('ab')
    .description('interleaved A/B: measure two keyscope builds in one session, block by block in pairs, and judge the pairs: exit 0 no regression, 1 regression, 2 usage or data error')
    .argument('[suites...]', 'suite names or globs, as for bench (default: the "default" suite)')
    .requiredOption('--baseline <dir>', 'the baseline build: a keyscope checkout (built) or a project with keyscope installed')
    .option('--candidate <dir>', 'the candidate build (default: this keyscope)')
    .option('--quick', 'a smoke session: the quick cases and budgets of bench --quick, for both builds (about two minutes)')
    .option('--dir <dir>', 'where your suites live (default: ./bench); both builds run the same suites')
    .option('--blocks <n>', 'pairs of blocks per case (default: 20; 16 with --quick)')
    .option('--cpu <n>', 'pin both builds to CPU n (default: rounds alternate over every CPU the process may use, both builds on the round\'s CPU)')
    .option('--no-pin', 'do not pin the builds to a CPU')
    .option('--seed <n>', 'seed of the coin that orders each pair (default: random, printed)')
    .option('--forks <n>', 'worker processes per build, taking the rounds in turn, so that one process\'s own speed spreads the pairs instead of shifting them (default: 4)')
    .option('--threshold <proportion>', 'slower by more than this is a regression: 2% or 0.02', defaultAbThreshold)
    .option('--confidence <proportion>', 'confidence of the whole session\'s verdicts: 99% or 0.99', '99%')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'md', 'json']).default('text'))
    .option('--strict', 'unstable cases gate too')
    .action(async (suites: string[], options: AbCommandOptions) => {
      // Exit 1 means "regression": any failure of the session's own must exit 2, never look like a verdict.
      exit.failureCode = 2;
      const color = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
      exit.code = await (await import('../ab-command.js')).runAb(suites, options, { ...io, color });
    });
}
