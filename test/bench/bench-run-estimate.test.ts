/** The time a run has left, from its cases' budgets and the pace so far (wall time per budget millisecond done). */
import { describe, expect, it } from 'vitest';

import { formatDuration, RunEstimate } from '../../src/bench/run-estimate.js';

describe('RunEstimate', () => {
  it('starts from the budgets, then scales what is left by the pace of what is done', () => {
    const estimate = new RunEstimate([2000, 2000, 6000], 0);
    expect(estimate.remainingMs(0)).toBe(10_000);
    // The first case stopped early (its precision reached) after 500 ms: its whole budget is done at a quarter of the time.
    estimate.stepProgress(0, 500);
    estimate.stepEnded(0);
    expect(estimate.doneMs).toBe(2000);
    expect(estimate.remainingMs(500)).toBe(2000);
    // Halfway through the second case's budget at the same pace.
    estimate.stepProgress(1, 1000);
    expect(estimate.remainingMs(1500)).toBe(3500);
    // A case's elapsed time never counts for more than its budget.
    estimate.stepProgress(1, 9000);
    expect(estimate.doneMs).toBe(4000);
    estimate.stepEnded(1);
    estimate.stepEnded(2);
    expect(estimate.remainingMs(99_999)).toBe(0);
  });

  it('formats durations to read at a glance', () => {
    expect([400, 12_400, 250_000, 3 * 3_600_000 + 5 * 60_000].map(formatDuration)).toEqual(['0s', '12s', '4m 10s', '3h 05m']);
  });
});
