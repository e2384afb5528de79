import { describe, expect, it } from 'vitest';

import { tailRatio } from '../../src/compare/statistics/tail-ratio.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

/** Exponential(1) samples: the true q-quantile is -ln(1 - q). */
function exponential(next: () => number, count: number, scale = 1): Float64Array {
  return Float64Array.from({ length: count }, () => -scale * Math.log(1 - next())).sort();
}

describe('tail ratios', () => {
  it('bracket the true p90 and p99 ratios of a scaled distribution, Bonferroni-combined', () => {
    const next = seededRandom(32);
    let covered90 = 0;
    let covered99 = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const baseline = exponential(next, 2000);
      const candidate = exponential(next, 1500, 1.3);
      const p90 = tailRatio(baseline, candidate, 0.9, 0.9)!;
      const p99 = tailRatio(baseline, candidate, 0.99, 0.9)!;
      expect(p90.confidence).toBe(0.9);
      expect(p90.low).toBeLessThan(p90.estimate);
      expect(p90.high).toBeGreaterThan(p90.estimate);
      if (p90.low <= 1.3 && 1.3 <= p90.high) covered90++;
      if (p99.low <= 1.3 && 1.3 <= p99.high) covered99++;
    }
    expect(covered90 / trials).toBeGreaterThanOrEqual(0.9);
    expect(covered99 / trials).toBeGreaterThanOrEqual(0.9);
  });

  it('are null when either side is too small', () => {
    const next = seededRandom(33);
    expect(tailRatio(exponential(next, 5000), exponential(next, 300), 0.99, 0.99)).toBeNull();
    expect(tailRatio(exponential(next, 300), exponential(next, 5000), 0.99, 0.99)).toBeNull();
    expect(tailRatio(exponential(next, 300), exponential(next, 5000), 0.9, 0.99)).not.toBeNull();
  });
});
