/**
 * measureKeygen: key generations in a tight C++ loop on a worker thread, one sample per key, with the
 * counters of the whole loop and the cost of the timer itself.
 */
import { z } from 'zod';

import type { AlgorithmId } from './algorithms.js';
import { budgetShape, resolveBudget, type SampleBudget } from './budget.js';
import { type Counters, type CycleCounterInfo, type TimerOverhead, toCounters, toCycleCounterInfo } from './counters.js';
import { native } from './native/binding.js';
import { parseOptions, requireAlgorithmId } from './validate.js';

export interface MeasureKeygenOptions extends SampleBudget {
  allowWeak?: boolean;
}

const measureOptionsSchema = z.strictObject({
  ...budgetShape,
  allowWeak: z.boolean({ error: 'must be a boolean' }).optional(),
});

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
