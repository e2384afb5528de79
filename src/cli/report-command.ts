/** `keyscope report [RUN...]`: one self-contained HTML file with distributions, comparison and history. */
import { relative } from 'node:path';

import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { collectReportInput, generateReport, writeReportFile } from '../report/index.js';
import { parseComparisonOptions } from './compare-command.js';
import type { CommandIO } from './command-context.js';
import { withStoreIfNeeded } from './runs-command.js';

export interface ReportCommandOptions {
  out?: string;
  history: string;
  threshold: string;
  confidence: string;
  db?: string;
  /** The runs compared are one machine's under two runtimes: compare the runtimes (as compare --across-runtimes). */
  acrossRuntimes?: boolean;
}

function parseHistory(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 1000) {
    throw new KeyscopeError(ErrorCodes.usage, `--history must be a whole number from 0 to 1000; got "${text}"`);
  }
  return value;
}

/** Writes the report; returns the line to print. */
export async function writeReport(references: string[], options: ReportCommandOptions & { compareLatest?: boolean }): Promise<string> {
  const settings = parseComparisonOptions(options);
  const history = parseHistory(options.history);
  const input = await withStoreIfNeeded(options, (provideStore) =>
    collectReportInput(references, provideStore, { settings, history, compareLatest: options.compareLatest, acrossRuntimes: options.acrossRuntimes }),
  );
  const report = generateReport(input);
  const last = input.runs[input.runs.length - 1]!;
  const path = await writeReportFile(options.out ?? `reports/run-${last.id.slice(0, 8)}.html`, report.html);
  const what = input.comparison ? 'comparison report' : 'report';
  return `${what} written to ${relative(process.cwd(), path) || path} (${(report.bytes / 1024).toFixed(0)} KiB)`;
}

export async function runReport(references: string[], options: ReportCommandOptions, io: CommandIO): Promise<void> {
  io.stdout.write(`${await writeReport(references, options)}\n`);
}
