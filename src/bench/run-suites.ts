/**
 * runSuites: runs the cases of the given suites one after another and returns the run, complete or (when the
 * signal aborts it) aborted with the cases finished so far. Storing it is the caller's choice (openStore).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';

import { type Counters, ErrorCodes, InvalidArgumentError, native, whileMeasuring } from '../core/index.js';
import type { AdaptiveProgress } from './adaptive.js';
import { resolveCaseBudget } from './case-budget.js';
import type { CaseDefinition, SuiteDefinition } from './define-suite.js';
import { environmentFingerprint } from './environment.js';
import { checkProvenanceOverrides, type ProvenanceOverrides, resolveGit, resolveTestbed } from './provenance.js';
import { type BlockOutcome, openCase } from './run-case.js';
import { pinProcess, withAffinityRestored } from './pin-cpu.js';
import type { ResolvedCaseBudget } from './case-budget.js';
import type { CaseKey, CaseParameters, CaseResult, RunRecord } from '../model/index.js';

export type RunEvent =
  /**
   * budgetsMs: the time budget of every step (one block of one case), in the order the steps run: round by round,
   * each round a block of every case. An estimate of the whole run's time starts from them.
   */
  | { type: 'run-start'; cases: number; blocks: number; budgetsMs: number[] }
  | { type: 'case-start'; index: number; total: number; key: CaseKey; maxTimeMs: number; step: number; block: number; blocks: number }
  | { type: 'case-progress'; index: number; key: CaseKey; progress: AdaptiveProgress; step: number }
  /** A step is over: measured, or passed over because its case was skipped or had failed. */
  | { type: 'block-end'; index: number; total: number; step: number; block: number; blocks: number }
  /** After a case's last block (or the block where it failed, or at once for a skipped case). */
  | { type: 'case-end'; index: number; total: number; result: CaseResult }
  /** Sent however the run ends (complete, aborted, or a case that threw). */
  | { type: 'run-end'; status: RunRecord['status'] | 'failed' };

export interface RunSuitesOptions {
  /** A smoke run: suites trim their cases and budgets are capped. */
  quick?: boolean;
  /** Tags the run (e.g. "baseline" or a branch name). */
  label?: string | null;
  /** Aborts between batches; the run comes back with status "aborted", with every case as far as it got. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /**
   * The CPUs the run's rounds rotate through, one CPU per round, the process pinned to it for the round; one CPU
   * pins the whole run; null or empty leaves the process where it is. Recorded with every block.
   */
  cpus?: readonly number[] | null;
  /** How many blocks each case is measured in, spread across the run (default: 16 for quick runs, else 20). */
  blocks?: number;
  /** Slow every measured operation by this fraction (KEYSCOPE_BENCH_HANDICAP; bench validity only). */
  handicap?: number | null;
  /** Where git state is read (default: the current directory). */
  cwd?: string;
  /** Where the CI's variables (branch, commit) are read (default: process.env; an interleaved build: none). */
  environment?: NodeJS.ProcessEnv;
  /**
   * The run's branch, commit and testbed where git, the CI's variables and the environment would say otherwise
   * (bench --branch/--commit/--testbed; see provenance.ts).
   */
  provenance?: ProvenanceOverrides;
}

interface PlannedCase {
  suite: SuiteDefinition;
  definition: CaseDefinition;
}

export async function planCases(suites: readonly SuiteDefinition[], quick: boolean): Promise<PlannedCase[]> {
  const planned: PlannedCase[] = [];
  // The machine's CPUs, not the (possibly pinned) mask: throughput cases widen the mask to scale over them.
  const context = { quick, cores: os.cpus().length };
  for (const suite of suites) {
    for (const definition of await suite.cases(context)) planned.push({ suite, definition });
  }
  return planned;
}

export async function runSuites(suites: readonly SuiteDefinition[], options: RunSuitesOptions = {}): Promise<RunRecord> {
  // Every key the run generates (its cases, their setup) is measurement: analytics records none of them.
  const run = () => whileMeasuring(() => runPlannedSuites(suites, options));
  // Rotating CPUs moves the process; a caller of the API gets it back where it was.
  return (options.cpus?.length ?? 0) > 1 ? withAffinityRestored(run) : run();
}

/**
 * Blocks per case. More blocks give the spread between them more degrees of freedom (a narrower t interval);
 * each costs a warmup and, for JS cases, a collection.
 */
export const defaultBlocks = { quick: 16, full: 20 } as const;

/** A case's budget for one of its blocks: its time, minimum and maximum samples shared out evenly. */
function blockBudget(budget: ResolvedCaseBudget, blocks: number): ResolvedCaseBudget {
  return {
    ...budget,
    maxTimeMs: budget.maxTimeMs / blocks,
    minSamples: Math.max(1, Math.ceil(budget.minSamples / blocks)),
    maxSamples: Math.max(1, Math.ceil(budget.maxSamples / blocks)),
  };
}

/** One case of an opened run, as a caller stepping through it sees it. */
export interface SessionCase {
  readonly key: CaseKey;
  readonly parameters: CaseParameters;
  /** False once the case was skipped or errored: it takes no more blocks. */
  readonly open: boolean;
  /** The time budget of one of its blocks. */
  readonly blockMs: number;
  /** The whole case's budget (its confidence and precision target are its result's). */
  readonly budget: ResolvedCaseBudget;
}

/**
 * A run opened but not yet measured: its cases planned and budgeted, each measured one block at a time in the
 * order the caller chooses, then closed into a run record. runSuites steps it round by round; an interleaved
 * session (interleave.ts) steps two of them, one per build, in worker processes.
 */
export interface RunSession {
  readonly cases: readonly SessionCase[];
  readonly blocks: number;
  /**
   * Measures the next block of case `index` on `cpu` (recorded with it; the caller pins the process) and returns
   * it, or null when the case kept none. `position`: see BlockContext.
   */
  measureBlock(
    index: number,
    cpu: number | null,
    extra?: { onProgress?: (progress: AdaptiveProgress) => void; signal?: AbortSignal; position?: number },
  ): Promise<BlockOutcome | null>;
  result(index: number): CaseResult;
  /**
   * The run record: a complete run keeps every case, an aborted one the cases that got as far as a block.
   * `keep` (indices) leaves out the others: an interleaved session keeps only cases both builds have.
   */
  close(status: RunRecord['status'], keep?: readonly number[]): RunRecord;
}

export async function openRunSession(suites: readonly SuiteDefinition[], options: RunSuitesOptions = {}): Promise<RunSession> {
  const quick = options.quick ?? false;
  const blockCount = options.blocks ?? (quick ? defaultBlocks.quick : defaultBlocks.full);
  if (!Number.isInteger(blockCount) || blockCount < 1 || blockCount > 1000) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `runSuites: blocks must be a whole number from 1 to 1000, got ${String(options.blocks)}`);
  }
  const provenance = options.provenance ?? {};
  checkProvenanceOverrides(provenance, (name, problem) => {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `runSuites: provenance.${name} ${problem}`);
  });
  // Read before measuring: a branch with no commit to go with it is refused now, not after the run.
  const git = resolveGit(options.cwd ?? process.cwd(), options.environment ?? process.env, provenance);
  const cpus = options.cpus ?? [];
  const handicap = options.handicap ?? null;
  const startedAt = new Date().toISOString();
  const planned = await planCases(suites, quick);
  const budgets = planned.map(({ suite, definition }) => resolveCaseBudget(definition.algorithm, [suite.budget, definition.budget], quick));
  const shares = budgets.map((budget) => blockBudget(budget, blockCount));
  const measurements = planned.map(({ suite, definition }, index) => openCase(suite.name, definition, budgets[index]!));
  const cases: SessionCase[] = measurements.map((m, index) => ({
    key: m.key,
    parameters: m.parameters,
    get open() {
      return m.open;
    },
    blockMs: shares[index]!.maxTimeMs,
    budget: budgets[index]!,
  }));
  const measurement = (index: number) => {
    const found = measurements[index];
    if (!found) throw new InvalidArgumentError(ErrorCodes.invalidOption, `runSuites: there is no case ${index} (the run has ${measurements.length})`);
    return found;
  };
  return {
    cases,
    blocks: blockCount,
    result: (index) => measurement(index).result(),
    measureBlock: (index, cpu, extra = {}) =>
      measurement(index).measureBlock({
        budget: shares[index]!,
        cpu,
        handicap,
        ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
        ...(extra.signal ? { signal: extra.signal } : {}),
        ...(extra.position === undefined ? {} : { position: extra.position }),
      }),
    close(status, keep) {
      const kept = keep === undefined ? measurements : keep.map(measurement);
      // An aborted run keeps every case that has a block, with the blocks it has.
      const results = kept.filter((m) => status === 'complete' || m.blocks > 0 || !m.open).map((m) => m.result());
      const counters: Counters[] = results.flatMap((c) => (c.state === 'completed' ? [c.counters] : []));
      const cycle = native.cycleCounter();
      const environment = environmentFingerprint({
        counters,
        cycleCounter: cycle.available ? (cycle.source ?? null) : null,
        pinnedCpu: cpus.length === 1 ? cpus[0]! : null,
        handicap,
      });
      return {
        id: randomUUID(),
        startedAt,
        endedAt: new Date().toISOString(),
        label: options.label ?? null,
        status,
        git,
        testbed: resolveTestbed(environment, provenance),
        environment,
        cases: results,
      };
    },
  };
}

async function runPlannedSuites(suites: readonly SuiteDefinition[], options: RunSuitesOptions): Promise<RunRecord> {
  const session = await openRunSession(suites, options);
  const cpus = options.cpus ?? [];
  const blockCount = session.blocks;
  const emit = (event: RunEvent) => options.onEvent?.(event);
  const total = session.cases.length;
  emit({ type: 'run-start', cases: total, blocks: blockCount, budgetsMs: Array.from({ length: blockCount }, () => session.cases.map((c) => c.blockMs)).flat() });

  let status: RunRecord['status'] = 'complete';
  let failed = true;
  const ended = new Set<number>();
  const endCase = (index: number) => {
    if (ended.has(index)) return;
    ended.add(index);
    emit({ type: 'case-end', index, total, result: session.result(index) });
  };
  try {
    rounds: for (let block = 0; block < blockCount; block++) {
      // One CPU per round: each case's blocks alternate CPUs, and the process moves only between rounds.
      const cpu = cpus.length > 0 ? cpus[block % cpus.length]! : null;
      if (cpu !== null && cpus.length > 1) pinProcess(cpu);
      for (const [index, entry] of session.cases.entries()) {
        const step = block * total + index;
        if (entry.open) {
          emit({ type: 'case-start', index, total, key: entry.key, maxTimeMs: entry.blockMs, step, block, blocks: blockCount });
          try {
            await session.measureBlock(index, cpu, {
              onProgress: (progress) => emit({ type: 'case-progress', index, key: entry.key, progress, step }),
              ...(options.signal ? { signal: options.signal } : {}),
            });
          } catch (error) {
            if (!options.signal?.aborted) throw error;
            status = 'aborted';
            break rounds;
          }
        }
        emit({ type: 'block-end', index, total, step, block, blocks: blockCount });
        if (!entry.open || block === blockCount - 1) endCase(index);
        if (options.signal?.aborted && step < blockCount * total - 1) {
          status = 'aborted';
          break rounds;
        }
      }
    }
    failed = false;
  } finally {
    emit({ type: 'run-end', status: failed ? 'failed' : status });
  }
  return session.close(status);
}
