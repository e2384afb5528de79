/**
 * profile(): measures any JS function, sync or async, with the native clock and counters that measureKeygen
 * uses, one sample per call. This is the programmatic profiling API the bench engine builds on.
 */
import { z } from 'zod';

import { type Counters, type CycleCounterInfo, type TimerOverhead, toCounters, toCycleCounterInfo } from './counters.js';
import { ErrorCodes, InvalidArgumentError } from './errors.js';
import { whileMeasuring } from './measuring.js';
import { native } from './native/binding.js';
import { budgetShape, MAX_ITERATIONS, type ResolvedBudget, resolveBudget, type SampleBudget } from './budget.js';
import type { RawCounterReading, Sampler } from './native/types.js';
import { median } from '../stats/index.js';
import { describeValue, parseOptions } from './validate.js';

export type ProfileOptions = SampleBudget;

export interface ProfileResult {
  name: string;
  iterations: number;
  /** Whether fn returned a promise (each sample then spans until it settled). */
  async: boolean;
  samples: { ns: Float64Array; cycles: Float64Array | null };
  timer: TimerOverhead;
  clock: { cycles: CycleCounterInfo };
  /** Counters of the JS thread over the whole profiled loop. */
  counters: Counters;
}

const profileOptionsSchema = z.strictObject(budgetShape);
const TIMER_SAMPLES = 10_000;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** The cost of a begin()/end() pair around an empty call, from JS. */
function measureTimerOverhead(): TimerOverhead {
  const sampler = new native.Sampler(TIMER_SAMPLES);
  const empty = (): void => {};
  for (let i = 0; i < TIMER_SAMPLES; i++) {
    sampler.begin();
    empty();
    sampler.end();
  }
  const { ns, cycles } = sampler.take();
  return { ns: median(ns), cycles: cycles ? median(cycles) : 0, samples: TIMER_SAMPLES };
}

/** Calls fn between the sampler's stamps until the budget is spent; says whether any call was async. */
async function runTimedLoop(sampler: Sampler, fn: () => unknown, budget: ResolvedBudget): Promise<boolean> {
  let sawAsync = false;
  const limit = budget.iterations || MAX_ITERATIONS;
  const deadline = budget.timeMs > 0 ? performance.now() + budget.timeMs : Infinity;
  for (let i = 0; i < limit; i++) {
    sampler.begin();
    const value = fn();
    if (isThenable(value)) {
      sawAsync = true;
      await value;
    }
    sampler.end();
    if (performance.now() >= deadline) break;
  }
  return sawAsync;
}

export async function profile(name: string, fn: () => unknown, options?: ProfileOptions): Promise<ProfileResult> {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `profile: name must be a non-empty string (got ${describeValue(name)})`);
  }
  if (typeof fn !== 'function') {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `profile: fn must be a function (got ${describeValue(fn)})`);
  }
  const budget = resolveBudget(parseOptions(profileOptionsSchema, options, 'profile'), 'profile');
  // Keys fn generates are measurement, not usage: analytics records none of them.
  return whileMeasuring(() => profileMeasured(name, fn, budget));
}

async function profileMeasured(name: string, fn: () => unknown, budget: ResolvedBudget): Promise<ProfileResult> {
  // The first warmup call (or the first timed call) tells whether fn is async.
  let isAsync = false;
  for (let i = 0; i < budget.warmup; i++) {
    const value = fn();
    if (isThenable(value)) {
      isAsync = true;
      await value;
    }
  }

  const sampler = new native.Sampler(budget.iterations || 1024);
  sampler.startCounters(budget.counters);
  let readings: RawCounterReading[];
  try {
    if (await runTimedLoop(sampler, fn, budget)) isAsync = true;
  } finally {
    readings = sampler.stopCounters();
  }
  const { ns, cycles } = sampler.take();
  return {
    name,
    iterations: ns.length,
    async: isAsync,
    samples: { ns, cycles },
    timer: measureTimerOverhead(),
    clock: { cycles: toCycleCounterInfo(native.cycleCounter()) },
    counters: toCounters(readings),
  };
}
