import { describe, expect, it } from 'vitest';

import { relativePrecision } from '../../src/stats/median-precision.js';
import { medianInterval, medianRankInterval } from '../../src/stats/rank-interval.js';
import { sortedCopy } from '../../src/stats/quantile.js';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('median confidence interval (order statistics)', () => {
  it('uses exact binomial ranks for small samples', () => {
    // P(B <= 0) = 1/1024 <= 0.005 for n = 10: the extremes bracket the median at 99%.
    expect(medianRankInterval(10, 0.99)).toEqual({ lower: 0, upper: 9 });
    // n = 7: 2 * (1/128) > 1%: no 99% interval exists.
    expect(medianRankInterval(7, 0.99)).toBeNull();
    expect(medianRankInterval(100, 0.95)).toEqual({ lower: 39, upper: 60 });
  });

  it('agrees between the exact and the normal approximation where they meet', () => {
    const exact = medianRankInterval(1000, 0.99)!;
    const approx = medianRankInterval(1001, 0.99)!;
    expect(Math.abs(exact.lower - approx.lower)).toBeLessThanOrEqual(1);
    expect(Math.abs(exact.upper - approx.upper)).toBeLessThanOrEqual(2);
  });

  it('covers the true median at least as often as it promises, even for skewed data', () => {
    const next = random(7);
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      // Exponential samples: true median ln 2.
      const samples = Float64Array.from({ length: 40 }, () => -Math.log(1 - next()));
      const interval = medianInterval(sortedCopy(samples), 0.95);
      if (interval.low <= Math.LN2 && Math.LN2 <= interval.high) covered++;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.94);
  });

  it('reports precision as the relative half-width, Infinity when there are too few samples', () => {
    const sorted = sortedCopy(Array.from({ length: 1001 }, (_, i) => 1000 + i));
    const precision = relativePrecision(sorted, 0.99);
    const interval = medianInterval(sorted, 0.99);
    expect(precision).toBeCloseTo((interval.high - interval.low) / 2 / 1500, 10);
    expect(relativePrecision(sortedCopy([1, 2, 3]), 0.99)).toBe(Number.POSITIVE_INFINITY);
  });
});
