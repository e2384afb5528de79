/**
 * measureKeygen: key generations in a tight C++ loop on a worker thread, one sample per key, with the
 * counters of the whole loop and the cost of the timer itself.
 */
import { z } from 'zod';

import type { AlgorithmId } from './algorithms.js';
import { type Counters, type CycleCounterInfo, type TimerOverhead, toCounters, toCycleCounterInfo } from './counters.js';
import { ErrorCodes, InvalidArgumentError } from './errors.js';
import { native } from './native/binding.js';
import { parseOptions, requireAlgorithmId, wholeNumber } from './validate.js';

/** At most this many samples per measurement (8 bytes per clock per sample). */
export const MAX_ITERATIONS = 10_000_000;
/** The longest time budget: one hour. */
export const MAX_TIME_MS = 3_600_000;

export interface SampleBudget {
  /** Exactly this many timed generations. Give this or timeMs. */
  iterations?: number;
  /** Time budget in milliseconds: generations run until it is spent (at least one). */
  timeMs?: number;
  /** Untimed generations first (default 1). */
  warmup?: number;
  /** Read perf_event, getrusage and memory counters around the loop (default true). */
  counters?: boolean;
}

export interface MeasureKeygenOptions extends SampleBudget {
  allowWeak?: boolean;
}

export interface ResolvedBudget {
  iterations: number;
  timeMs: number;
  warmup: number;
  counters: boolean;
}

export const DEFAULT_TIME_MS = 1000;

export const budgetShape = {
  iterations: wholeNumber(1, MAX_ITERATIONS).optional(),
  timeMs: z
    .number({ error: 'must be a number' })
    .positive({ error: `must be a number of milliseconds above 0 and at most ${MAX_TIME_MS}` })
    .max(MAX_TIME_MS, { error: `must be a number of milliseconds above 0 and at most ${MAX_TIME_MS}` })
    .optional(),
  warmup: wholeNumber(0, 1_000_000).optional(),
  counters: z.boolean({ error: 'must be a boolean' }).optional(),
};

const measureOptionsSchema = z.strictObject({
  ...budgetShape,
  allowWeak: z.boolean({ error: 'must be a boolean' }).optional(),
});

/** Fills in defaults in one place: iterations xor timeMs (timeMs 1000 when neither), warmup 1, counters on. */
export function resolveBudget(options: SampleBudget, where: string): ResolvedBudget {
  if (options.iterations !== undefined && options.timeMs !== undefined) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `${where}: give "iterations" or "timeMs", not both`);
  }
  return {
    iterations: options.iterations ?? 0,
    timeMs: options.iterations === undefined ? (options.timeMs ?? DEFAULT_TIME_MS) : 0,
    warmup: options.warmup ?? 1,
    counters: options.counters ?? true,
  };
}

export interface KeygenSamples {
  /** Wall nanoseconds per key (CLOCK_MONOTONIC). */
  ns: Float64Array;
  /** Cycle-counter ticks per key; null where there is no usable cycle counter (see clock.cycles). */
  cycles: Float64Array | null;
  /** RSA only: prime candidates tried for each key. */
  candidates: Float64Array | null;
  /** RSA only: Miller-Rabin rounds run for each key. */
  rounds: Float64Array | null;
}

export interface KeygenMeasurement {
  algorithm: AlgorithmId;
  iterations: number;
  samples: KeygenSamples;
  /** Wall time of the whole timed loop, stamps and key frees included. */
  totalNs: number;
  timer: TimerOverhead;
  clock: { cycles: CycleCounterInfo };
  counters: Counters;
}

export async function measureKeygen(algorithm: AlgorithmId, options?: MeasureKeygenOptions): Promise<KeygenMeasurement> {
  const id = requireAlgorithmId(algorithm, 'measureKeygen');
  const parsed = parseOptions(measureOptionsSchema, options, 'measureKeygen');
  const budget = resolveBudget(parsed, 'measureKeygen');
  const raw = await native.measureKeygen(
    id,
    parsed.allowWeak ?? false,
    budget.iterations,
    budget.timeMs,
    budget.warmup,
    budget.counters,
  );
  return {
    algorithm: id as AlgorithmId,
    iterations: raw.ns.length,
    samples: { ns: raw.ns, cycles: raw.cycles, candidates: raw.candidates, rounds: raw.rounds },
    totalNs: raw.totalNs,
    timer: raw.overhead,
    clock: { cycles: toCycleCounterInfo(raw.cycleCounter) },
    counters: toCounters(raw.counters),
  };
}
