/** Combines the counters of several batches of one case into totals over all of them. */
import type { Counters, CounterValue } from '../core/index.js';

const firstWins = new Set(['rss-before', 'heap-before']);
const lastWins = new Set(['rss-after', 'heap-after']);

export function mergeCounters(batches: readonly Counters[]): Counters {
  const merged: Counters = {};
  for (const counters of batches) {
    for (const [name, value] of Object.entries(counters) as [keyof Counters, CounterValue][]) {
      const current = merged[name];
      if (!current || !current.available || !value.available) {
        // An unavailable reading in any batch makes the total unavailable: a partial sum would lie.
        if (!current || (current.available && !value.available)) merged[name] = value;
        continue;
      }
      if (firstWins.has(name)) continue;
      if (lastWins.has(name)) merged[name] = value;
      else if (name === 'peak-rss') merged[name] = { ...current, value: Math.max(current.value, value.value) };
      else merged[name] = { ...current, value: current.value + value.value, scaled: current.scaled || value.scaled };
    }
  }
  return merged;
}
