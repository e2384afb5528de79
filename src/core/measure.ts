/**
 * measureKeygen: key generations in a tight C++ loop on a worker thread, one sample per key, with the
 * counters of the whole loop and the cost of the timer itself. Optionally seeded: reproducible prime searches for
 * paired comparisons (the keys are freed, never returned).
 */
import { z } from 'zod';

import { type AlgorithmId, requireAlgorithmId } from './algorithms.js';
import { budgetShape, resolveBudget, type SampleBudget } from './budget.js';
import { type Counters, type CycleCounterInfo, type TimerOverhead, toCounters, toCycleCounterInfo } from './counters.js';
import { ErrorCodes, InvalidArgumentError } from './errors.js';
import { native } from './native/binding.js';
import { parseOptions, wholeNumber } from './validate.js';

export interface MeasureKeygenOptions extends SampleBudget {
  allowWeak?: boolean;
  /**
   * Seeded mode, for paired comparisons of two builds: keys draw their randomness from a deterministic stream
   * (in a private OpenSSL library context; node:crypto's RNG is untouched), so two runs with the same seed try
   * the same prime candidates key for key. A whole number from 0 to Number.MAX_SAFE_INTEGER. The stream is far
   * cheaper than OpenSSL's CTR-DRBG (about 3 us less per EC key), so compare seeded runs with seeded runs only.
   */
  seed?: number;
  /** Seeded mode: the stream index of the first measured key (default 0); key j is key firstKey + j. */
  firstKey?: number;
  /**
   * A test hook for measuring a regression gate, never for real measurements: each key also spins for this
   * fraction of its own generation time (0 to 1; 0.1 makes every key 10% slower), inside the timed region.
   * `keyscope bench` sets it from KEYSCOPE_BENCH_HANDICAP and records it in the run's fingerprint.
   */
  handicap?: number;
}

const measureOptionsSchema = z.strictObject({
  ...budgetShape,
  allowWeak: z.boolean({ error: 'must be a boolean' }).optional(),
  seed: wholeNumber(0, Number.MAX_SAFE_INTEGER).optional(),
  firstKey: wholeNumber(0, Number.MAX_SAFE_INTEGER).optional(),
  handicap: z.number({ error: 'must be a number from 0 to 1' }).min(0, { error: 'must be a number from 0 to 1' }).max(1, { error: 'must be a number from 0 to 1' }).optional(),
});

export interface KeygenSamples {
  /** Wall nanoseconds per key (CLOCK_MONOTONIC). */
  ns: Float64Array;
  /** Cycle-counter ticks per key; null where there is no usable cycle counter (see clock.cycles). */
  cycles: Float64Array | null;
  /** RSA only: prime candidates tried for each key. */
  candidates: Float64Array | null;
  /** RSA only: OpenSSL's event 1 for each key: candidates that passed trial division plus Miller-Rabin rounds passed. */
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
  /** The seeded stream the keys came from; null for ordinary (unseeded) keys. */
  seeding: { seed: number; firstKey: number } | null;
}

export async function measureKeygen(algorithm: AlgorithmId, options?: MeasureKeygenOptions): Promise<KeygenMeasurement> {
  const id = requireAlgorithmId(algorithm, 'measureKeygen');
  const parsed = parseOptions(measureOptionsSchema, options, 'measureKeygen');
  const budget = resolveBudget(parsed, 'measureKeygen');
  if (parsed.firstKey !== undefined && parsed.seed === undefined) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, 'measureKeygen: option "firstKey" needs "seed" (it picks a key of the seeded stream)');
  }
  const seeding = parsed.seed === undefined ? null : { seed: parsed.seed, firstKey: parsed.firstKey ?? 0 };
  const raw = await native.measureKeygen(
    id,
    parsed.allowWeak ?? false,
    budget.iterations,
    budget.timeMs,
    budget.warmup,
    budget.counters,
    seeding?.seed,
    seeding?.firstKey,
    parsed.handicap ?? 0,
  );
  return {
    algorithm: id as AlgorithmId,
    iterations: raw.ns.length,
    samples: { ns: raw.ns, cycles: raw.cycles, candidates: raw.candidates, rounds: raw.rounds },
    totalNs: raw.totalNs,
    timer: raw.overhead,
    clock: { cycles: toCycleCounterInfo(raw.cycleCounter) },
    counters: toCounters(raw.counters),
    seeding,
  };
}
