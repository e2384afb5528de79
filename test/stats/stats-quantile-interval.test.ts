import { describe, expect, it } from 'vitest';

import { quantileInterval, quantileRankInterval } from '../../src/stats/rank-interval.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

/** Exponential(1) samples: the true q-quantile is -ln(1 - q). */
function exponential(next: () => number, count: number, scale = 1): Float64Array {
  return Float64Array.from({ length: count }, () => -scale * Math.log(1 - next())).sort();
}

describe('quantile confidence interval (order statistics)', () => {
  it('is symmetric at q = 0.5 even where a tail sum ties (1 - c) / 2 to the last bit', () => {
    // Confidences 1 - m / 2^k make alpha / 2 an exact Binomial(n, 1/2) tail for some n: summing both tails
    // separately could then round one end in and the other out.
    for (let n = 1; n <= 40; n++) {
      for (let k = 1; k <= 40; k++) {
        for (let m = 1; m < 8; m++) {
          const ranks = quantileRankInterval(n, 0.5, 1 - m * 2 ** -k);
          if (ranks) expect(ranks.lower + ranks.upper).toBe(n - 1);
        }
      }
    }
  });

  it('uses exact binomial tails: the ranks bound each tail by (1 - c) / 2 and are the tightest that do', () => {
    // Brute-force binomial tails for q = 0.9, n = 60 at 95%.
    const n = 60;
    const q = 0.9;
    const pmf = Array.from({ length: n + 1 }, (_, j) => {
      let logC = 0;
      for (let i = 0; i < j; i++) logC += Math.log(n - i) - Math.log(i + 1);
      return Math.exp(logC + j * Math.log(q) + (n - j) * Math.log(1 - q));
    });
    const atMost = (j: number): number => pmf.slice(0, j + 1).reduce((a, b) => a + b, 0);
    const { lower, upper } = quantileRankInterval(n, q, 0.95)!;
    // The 0-based rank r is the (r+1)-th smallest: it lies above the quantile when at most r samples are below.
    expect(atMost(lower)).toBeLessThanOrEqual(0.025);
    expect(atMost(lower + 1)).toBeGreaterThan(0.025);
    // The upper end lies below the quantile when more than `upper` samples are below it.
    expect(1 - atMost(upper)).toBeLessThanOrEqual(0.025);
    expect(1 - atMost(upper - 1)).toBeGreaterThan(0.025);
  });

  it('is null when the samples are too few for the confidence', () => {
    // The p99's upper end needs 0.99^n <= 0.0025: n >= 597.
    expect(quantileRankInterval(596, 0.99, 0.995)).toBeNull();
    expect(quantileRankInterval(597, 0.99, 0.995)).not.toBeNull();
    expect(quantileInterval(Float64Array.of(1, 2, 3), 0.9, 0.99)).toBeNull();
    expect(quantileRankInterval(10, 0, 0.9)).toBeNull();
  });

  it('covers the true quantile at least as often as it promises (exact and approximate ranks)', () => {
    const next = seededRandom(31);
    for (const [n, q, trials] of [[80, 0.9, 1500], [700, 0.99, 800], [3000, 0.9, 600], [20_000, 0.99, 200]] as const) {
      const truth = -Math.log(1 - q);
      let covered = 0;
      for (let t = 0; t < trials; t++) {
        const interval = quantileInterval(exponential(next, n), q, 0.95)!;
        if (interval.low <= truth && truth <= interval.high) covered++;
      }
      // Nominal 95%; allow three standard errors of the simulation.
      expect(covered / trials).toBeGreaterThanOrEqual(0.95 - 3 * Math.sqrt((0.95 * 0.05) / trials));
    }
  });
});
