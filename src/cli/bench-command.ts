/** `keyscope bench [SUITE|GLOB...]`: runs suites from bench/ or built in, stores the run, prints the summary table. */
import { resolve } from 'node:path';

import { allowedCpus, checkProvenanceOverrides, createProgress, discoverSuites, handicapFromEnvironment, handicapVariable, pinToCpu, runSuites, summaryTable } from '../bench/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import type { RunRecord } from '../model/index.js';
import type { CommandIO } from './command-context.js';

export interface BenchCommandOptions {
  quick?: boolean;
  label?: string;
  dir?: string;
  json?: boolean;
  pin?: boolean;
  cpu?: string;
  blocks?: string;
  branch?: string;
  commit?: string;
  testbed?: string;
  /** Store the run as the named baseline NAME of its testbed (`compare --baseline NAME`): its label. */
  saveBaseline?: string;
  /** Only the summary table: no progress, no notices, no "saved to" line. */
  quiet?: boolean;
}

export interface BenchCommandIO extends CommandIO {
  stderr: NodeJS.WriteStream;
  /** Where the finished run goes (the run store); returns a line to print, e.g. where it was saved. */
  save?: (run: RunRecord) => Promise<string>;
}

export async function runBench(patterns: string[], options: BenchCommandOptions, io: BenchCommandIO): Promise<number> {
  const blocks = options.blocks === undefined ? undefined : parseBlocks(options.blocks);
  const label = chooseLabel(options);
  const provenance = { branch: options.branch, commit: options.commit, testbed: options.testbed };
  checkProvenanceOverrides(provenance, (name, problem) => {
    throw new KeyscopeError(ErrorCodes.usage, `--${name} ${problem}`);
  });
  const handicap = handicapFromEnvironment();
  const suites = await discoverSuites(patterns, options.dir === undefined ? undefined : resolve(options.dir));
  const cpus = options.pin === false ? null : chooseCpus(options.cpu);
  if (cpus && !cpus.pinned && !options.quiet) io.stderr.write(`keyscope: not pinned to a CPU (${cpus.reason}); comparisons will be noisier\n`);
  if (handicap !== null && !options.quiet) io.stderr.write(`keyscope: ${handicapVariable} is set: every operation is slowed by ${handicap * 100}% on purpose, and the run says so\n`);

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
      label,
      provenance,
      signal: controller.signal,
      onEvent: (event) => progress.onEvent(event),
      cpus: cpus?.pinned ? cpus.cpus : null,
      handicap,
      ...(blocks === undefined ? {} : { blocks }),
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

/** A named baseline is a label (compare --baseline NAME finds it on the candidate's testbed), so a run has one or the other. */
function chooseLabel(options: BenchCommandOptions): string | null {
  const { label, saveBaseline } = options;
  if (saveBaseline !== undefined && label !== undefined && label !== saveBaseline) {
    throw new KeyscopeError(ErrorCodes.usage, `--save-baseline ${saveBaseline} names the run, and so does --label ${label}: give one of them`);
  }
  const name = saveBaseline ?? label ?? null;
  if (name !== null && name.trim() === '') throw new KeyscopeError(ErrorCodes.usage, `--${saveBaseline !== undefined ? 'save-baseline' : 'label'} must not be empty`);
  return name;
}

export function parseBlocks(text: string): number {
  const blocks = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !(blocks >= 1 && blocks <= 1000)) {
    throw new KeyscopeError(ErrorCodes.usage, `--blocks must be a whole number from 1 to 1000, got "${text}"`);
  }
  return blocks;
}

export type CpuChoice = { pinned: true; cpus: number[] } | { pinned: false; reason: string };

/**
 * --cpu N pins the whole run to N. By default the rounds rotate over every CPU the process may use: on the VMs
 * this was built on, one vCPU at a time ran OpenSSL's key generation up to 38% slower for tens of seconds, and a
 * run pinned to that one CPU reported it as the code's speed.
 */
export function chooseCpus(cpu: string | undefined): CpuChoice {
  if (cpu !== undefined) {
    const pin = pinToCpu(Number(cpu));
    return pin.pinned ? { pinned: true, cpus: [pin.cpu] } : pin;
  }
  const cpus = allowedCpus();
  if (cpus === null || cpus.length === 0) return { pinned: false, reason: 'taskset could not read the CPUs this process may use' };
  const pin = pinToCpu(cpus[0]);
  return pin.pinned ? { pinned: true, cpus } : pin;
}
