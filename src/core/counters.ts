/** Counter readings as the public API reports them: each one a value, or unavailable with the reason. */
import type { RawCounterReading, RawCycleCounter } from './native/types.js';

export type CounterGroup = 'hardware' | 'software' | 'rusage' | 'memory';

export type CounterName =
  | 'cycles'
  | 'instructions'
  | 'branch-misses'
  | 'cache-misses'
  | 'task-clock'
  | 'page-faults'
  | 'context-switches'
  | 'cpu-migrations'
  | 'user-time'
  | 'system-time'
  | 'minor-faults'
  | 'major-faults'
  | 'voluntary-switches'
  | 'involuntary-switches'
  | 'rss-before'
  | 'rss-after'
  | 'peak-rss'
  | 'heap-before'
  | 'heap-after';

export type CounterValue = { group: CounterGroup; unit: 'count' | 'ns' | 'bytes' } & (
  | { available: true; value: number; /** multiplexed: value scaled by time enabled / time running */ scaled: boolean }
  | { available: false; reason: string }
);

/** Totals over the measured loop, keyed by counter name. Empty when counters were turned off. */
export type Counters = Partial<Record<CounterName, CounterValue>>;

export interface CycleCounterInfo {
  available: boolean;
  /** rdtscp, lfence+rdtsc or cntvct_el0; absent when there is no usable counter. */
  source?: string;
  invariant?: boolean;
  /** Ticks per second, calibrated against CLOCK_MONOTONIC. */
  frequencyHz?: number;
  /** How the source was chosen, or why there is none. */
  note: string;
}

/** The cost of the timing itself: the median of the same stamps around an empty operation. */
export interface TimerOverhead {
  ns: number;
  cycles: number;
  samples: number;
}

export function toCounters(readings: readonly RawCounterReading[]): Counters {
  const counters: Counters = {};
  for (const r of readings) {
    const common = { group: r.group, unit: r.unit };
    counters[r.name as CounterName] = r.available
      ? { ...common, available: true, value: r.value ?? 0, scaled: r.scaled ?? false }
      : { ...common, available: false, reason: r.reason ?? 'unavailable' };
  }
  return counters;
}

export function toCycleCounterInfo(raw: RawCycleCounter): CycleCounterInfo {
  return { ...raw };
}
