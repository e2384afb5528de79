/** `keyscope runs list|show|export|import|delete`. */
import type { Command } from 'commander';

import type { CommandContext } from '../command-context.js';
import type { StoreOption } from '../runs-command.js';
import { dbOption } from './store-options.js';

const runsCommand = () => import('../runs-command.js');

export function register(program: Command, { io }: CommandContext): void {
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
}
