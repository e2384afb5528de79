/**
 * How long a measurement runs: an exact number of iterations or a time budget, plus warmup and counters.
 * Shared by measureKeygen (native loop) and profile (JS loop); defaults are filled in one place.
 */
import { z } from 'zod';

import { ErrorCodes, InvalidArgumentError } from './errors.js';
import { wholeNumber } from './validate.js';

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
  /** Counters around the loop: true (default) for every group, false for none, or a choice of groups. */
  counters?: boolean | CounterGroups;
}

/**
 * The counter groups. Memory reads are process-wide and the heap figure (glibc's mallinfo2) walks every malloc
 * arena: milliseconds on a fragmented heap, so callers that measure in many short batches take it once.
 */
export interface CounterGroups {
  hardware?: boolean;
  software?: boolean;
  rusage?: boolean;
  memory?: boolean;
}

/** The native encoding of counter groups: 1 hardware, 2 software, 4 rusage, 8 memory. */
export function counterMask(counters: boolean | CounterGroups): number {
  if (typeof counters === 'boolean') return counters ? 15 : 0;
  return (counters.hardware ? 1 : 0) | (counters.software ? 2 : 0) | (counters.rusage ? 4 : 0) | (counters.memory ? 8 : 0);
}

export interface ResolvedBudget {
  iterations: number;
  timeMs: number;
  warmup: number;
  /** Native counter mask (see counterMask). */
  counters: number;
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
  counters: z
    .union(
      [
        z.boolean(),
        z.strictObject({ hardware: z.boolean().optional(), software: z.boolean().optional(), rusage: z.boolean().optional(), memory: z.boolean().optional() }),
      ],
      { error: 'must be a boolean or { hardware, software, rusage, memory } booleans' },
    )
    .optional(),
};

/** Fills in defaults in one place: iterations xor timeMs (timeMs 1000 when neither), warmup 1, counters on. */
export function resolveBudget(options: SampleBudget, where: string): ResolvedBudget {
  if (options.iterations !== undefined && options.timeMs !== undefined) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `${where}: give "iterations" or "timeMs", not both`);
  }
  return {
    iterations: options.iterations ?? 0,
    timeMs: options.iterations === undefined ? (options.timeMs ?? DEFAULT_TIME_MS) : 0,
    warmup: options.warmup ?? 1,
    counters: counterMask(options.counters ?? true),
  };
}

