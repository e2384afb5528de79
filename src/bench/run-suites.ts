/**
 * runSuites: runs the cases of the given suites one after another and returns the run, complete or (when the
 * signal aborts it) aborted with the cases finished so far. Storing it is the caller's choice (openStore).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';

import { type Counters, native, whileMeasuring } from '../core/index.js';
import type { AdaptiveProgress } from './adaptive.js';
import { resolveCaseBudget } from './case-budget.js';
import type { CaseDefinition, SuiteDefinition } from './define-suite.js';
import { environmentFingerprint } from './environment.js';
import { gitState } from './git.js';
import { caseKey, runCase } from './run-case.js';
import type { CaseKey, CaseResult, RunRecord } from '../model/index.js';

export type RunEvent =
  /** budgetsMs: each planned case's time budget, in order (what an estimate of the whole run's time starts from). */
  | { type: 'run-start'; cases: number; budgetsMs: number[] }
  | { type: 'case-start'; index: number; total: number; key: CaseKey; maxTimeMs: number }
  | { type: 'case-progress'; index: number; key: CaseKey; progress: AdaptiveProgress }
  | { type: 'case-end'; index: number; total: number; result: CaseResult }
  /** Sent however the run ends (complete, aborted, or a case that threw). */
  | { type: 'run-end'; status: RunRecord['status'] | 'failed' };

export interface RunSuitesOptions {
  /** A smoke run: suites trim their cases and budgets are capped. */
  quick?: boolean;
  /** Tags the run (e.g. "baseline" or a branch name). */
  label?: string | null;
  /** Aborts between batches; the run comes back with status "aborted". */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Recorded in the environment fingerprint when the caller pinned the process to a CPU. */
  pinnedCpu?: number | null;
  /** Where git state is read (default: the current directory). */
  cwd?: string;
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
  return whileMeasuring(() => runPlannedSuites(suites, options));
}

async function runPlannedSuites(suites: readonly SuiteDefinition[], options: RunSuitesOptions): Promise<RunRecord> {
  const quick = options.quick ?? false;
  const startedAt = new Date().toISOString();
  const planned = await planCases(suites, quick);
  const budgets = planned.map(({ suite, definition }) => resolveCaseBudget(definition.algorithm, [suite.budget, definition.budget], quick));
  options.onEvent?.({ type: 'run-start', cases: planned.length, budgetsMs: budgets.map((b) => b.maxTimeMs) });

  const cases: CaseResult[] = [];
  let status: RunRecord['status'] = 'complete';
  let failed = true;
  try {
    for (const [index, { suite, definition }] of planned.entries()) {
      const key = caseKey(suite.name, definition);
      const budget = budgets[index]!;
      options.onEvent?.({ type: 'case-start', index, total: planned.length, key, maxTimeMs: budget.maxTimeMs });
      try {
        const result = await runCase(suite.name, definition, budget, (progress) => options.onEvent?.({ type: 'case-progress', index, key, progress }), options.signal);
        cases.push(result);
        options.onEvent?.({ type: 'case-end', index, total: planned.length, result });
      } catch (error) {
        if (!options.signal?.aborted) throw error;
        status = 'aborted';
        break;
      }
      if (options.signal?.aborted && index < planned.length - 1) {
        status = 'aborted';
        break;
      }
    }
    failed = false;
  } finally {
    options.onEvent?.({ type: 'run-end', status: failed ? 'failed' : status });
  }

  const counters: Counters[] = cases.flatMap((c) => (c.state === 'completed' ? [c.counters] : []));
  const cycle = native.cycleCounter();
  return {
    id: randomUUID(),
    startedAt,
    endedAt: new Date().toISOString(),
    label: options.label ?? null,
    status,
    git: gitState(options.cwd),
    environment: environmentFingerprint({
      counters,
      cycleCounter: cycle.available ? (cycle.source ?? null) : null,
      pinnedCpu: options.pinnedCpu ?? null,
    }),
    cases,
  };
}
