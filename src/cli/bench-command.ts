/** `keyscope bench [SUITE|GLOB...]`: runs suites from bench/ or built in, stores the run, prints the summary table. */
import { resolve } from 'node:path';

import { createProgress, discoverSuites, pinToCpu, runSuites, summaryTable } from '../bench/index.js';
import type { RunRecord } from '../model/index.js';
import type { CommandIO } from './command-context.js';

export interface BenchCommandOptions {
  quick?: boolean;
  label?: string;
  dir?: string;
  json?: boolean;
  pin?: boolean;
  cpu?: string;
  /** Only the summary table: no progress, no notices, no "saved to" line. */
  quiet?: boolean;
}

export interface BenchCommandIO extends CommandIO {
  stderr: NodeJS.WriteStream;
  /** Where the finished run goes (the run store); returns a line to print, e.g. where it was saved. */
  save?: (run: RunRecord) => Promise<string>;
}

export async function runBench(patterns: string[], options: BenchCommandOptions, io: BenchCommandIO): Promise<number> {
  const suites = await discoverSuites(patterns, options.dir === undefined ? undefined : resolve(options.dir));
  const pin = options.pin === false ? null : pinToCpu(options.cpu === undefined ? undefined : Number(options.cpu));
  if (pin && !pin.pinned && !options.quiet) io.stderr.write(`keyscope: not pinned to a CPU (${pin.reason}); comparisons will be noisier\n`);

  // Ctrl-C stops the run between batches; what finished is kept and the run is stored as aborted.
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = createProgress(io.stderr, { quiet: options.quiet || options.json });
  let run: RunRecord;
  try {
    run = await runSuites(suites, {
      quick: options.quick ?? false,
      label: options.label ?? null,
      signal: controller.signal,
      onEvent: (event) => progress.onEvent(event),
      pinnedCpu: pin?.pinned ? pin.cpu : null,
    });
  } finally {
    progress.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const saved = io.save ? await io.save(run) : null;
  if (options.json) {
    io.stdout.write(`${JSON.stringify(run, (_key, value: unknown) => (value instanceof Float64Array ? Array.from(value) : value))}\n`);
  } else {
    io.stdout.write(`${summaryTable(run)}\n`);
    if (saved && !options.quiet) io.stdout.write(`${saved}\n`);
  }
  if (run.status === 'aborted') return 130;
  return run.cases.some((c) => c.state === 'errored') ? 1 : 0;
}
