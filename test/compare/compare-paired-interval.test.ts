import { describe, expect, it } from 'vitest';

import { pairedInterval } from '../../src/compare/statistics/paired-interval.js';
import { signTest } from '../../src/compare/statistics/sign-test.js';
import { medianRankInterval } from '../../src/stats/rank-interval.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

describe('sign test', () => {
  it('gives exact binomial p-values for small counts (scipy binomtest)', () => {
    expect(signTest(9, 10).pValue).toBeCloseTo(0.021484375, 12);
    expect(signTest(2, 12).pValue).toBeCloseTo(0.03857421875, 12);
    expect(signTest(5, 10).pValue).toBe(1);
    expect(signTest(0, 0)).toEqual({ name: 'sign', statistic: 0, z: 0, pValue: 1 });
  });

  it('standardises with the sign of the change and agrees with the exact test where they meet', () => {
    expect(signTest(9, 10).z).toBeGreaterThan(0);
    expect(signTest(1, 10).z).toBeLessThan(0);
    const exact = signTest(540, 1000);
    const approx = signTest(541, 1001);
    expect(approx.pValue).toBeCloseTo(exact.pValue, 2);
  });
});

describe('paired interval', () => {
  it('recovers a per-pair slowdown hidden under large key-to-key variation', () => {
    const next = seededRandom(41);
    const baseline = new Float64Array(200);
    const candidate = new Float64Array(200);
    for (let i = 0; i < 200; i++) {
      const key = 1000 * Math.exp(2 * next()); // keys differ up to 7x
      baseline[i] = key * (1 + 0.004 * (next() - 0.5));
      candidate[i] = key * 1.03 * (1 + 0.004 * (next() - 0.5));
    }
    const result = pairedInterval(baseline, candidate, 0.99);
    expect(result.pairs).toBe(200);
    expect(result.ratio.estimate).toBeCloseTo(1.03, 3);
    expect(result.ratio.low).toBeGreaterThan(1.025);
    expect(result.ratio.high).toBeLessThan(1.035);
    expect(result.test).toMatchObject({ name: 'sign', statistic: 200 });
    expect(result.test.pValue).toBeLessThan(1e-50);
  });

  it('takes its interval from the order statistics of d, the median interval ranks', () => {
    // d = log(c/b) = log of 1..10 percent: exact ends known. n = 10 at 99%: ranks 0 and 9.
    const baseline = Float64Array.from({ length: 10 }, () => 100);
    const candidate = Float64Array.from({ length: 10 }, (_, i) => 100 * (1 + (i + 1) / 100));
    const result = pairedInterval(baseline, candidate, 0.99);
    expect(result.ratio.low).toBeCloseTo(1.01, 12);
    expect(result.ratio.high).toBeCloseTo(1.1, 12);
    expect(result.ratio.estimate).toBeCloseTo(Math.sqrt(1.05 * 1.06), 12);
    // At 95% the ranks move in by one: 1.02 .. 1.09.
    const narrower = pairedInterval(baseline, candidate, 0.95);
    expect(narrower.ratio.low).toBeCloseTo(1.02, 12);
    expect(narrower.ratio.high).toBeCloseTo(1.09, 12);
  });

  it('matches a sort-based computation of the median and its order statistics', () => {
    const next = seededRandom(43);
    for (const pairs of [2, 3, 8, 9, 10, 11, 50, 51, 999, 1000, 1001, 4000, 4001]) {
      const baseline = Float64Array.from({ length: pairs }, () => 1 + next());
      // Some exact ties (d = 0) and repeated values among the rest.
      const candidate = baseline.map((b, i) => (i % 7 === 0 ? b : b * (1 + Math.round(100 * (next() - 0.4)) / 1000)));
      const d = Float64Array.from({ length: pairs }, (_, i) => Math.log(candidate[i]!) - Math.log(baseline[i]!)).sort();
      const median = pairs % 2 ? d[(pairs - 1) / 2]! : (d[pairs / 2 - 1]! + d[pairs / 2]!) / 2;
      for (const confidence of [0.5, 0.9, 0.99]) {
        const result = pairedInterval(baseline, candidate, confidence);
        expect(result.ratio.estimate).toBe(Math.exp(median));
        const ranks = medianRankInterval(pairs, confidence);
        if (!ranks) expect(result.ratio.high).toBe(Number.POSITIVE_INFINITY);
        else {
          expect(result.ratio.low).toBe(Math.exp(d[ranks.lower]!));
          expect(result.ratio.high).toBe(Math.exp(d[ranks.upper]!));
        }
        expect(result.widest.low).toBe(Math.exp(d[0]!));
        expect(result.widest.high).toBe(Math.exp(d[pairs - 1]!));
      }
    }
  });

  it('pairs only the common prefix and drops ties from the sign test', () => {
    const baseline = Float64Array.of(10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10);
    const candidate = Float64Array.of(10, 10, 11, 12, 9, 13, 14, 15, 16, 17);
    const result = pairedInterval(baseline, candidate, 0.9);
    expect(result.pairs).toBe(10);
    // 8 untied pairs, 7 slower.
    expect(result.test.statistic).toBe(7);
    expect(result.test.pValue).toBeCloseTo(signTest(7, 8).pValue, 15);
  });

  it('is [0, Infinity] when the pairs are too few, with the widest interval they allow', () => {
    const result = pairedInterval(Float64Array.of(10, 10, 10), Float64Array.of(11, 12, 13), 0.99);
    expect(result.ratio).toMatchObject({ low: 0, high: Number.POSITIVE_INFINITY, confidence: 0.99 });
    expect(result.ratio.estimate).toBeCloseTo(1.2, 12);
    expect(result.widest.low).toBeCloseTo(1.1, 12);
    expect(result.widest.high).toBeCloseTo(1.3, 12);
    expect(result.widest.confidence).toBe(0.75);
  });

  it('covers the true ratio at least as often as it promises', () => {
    const next = seededRandom(42);
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const baseline = new Float64Array(25);
      const candidate = new Float64Array(25);
      for (let i = 0; i < 25; i++) {
        const key = Math.exp(3 * next());
        baseline[i] = key;
        // Skewed noise with median 0 (Exp(1) - ln 2): d is not symmetric but its median is log 1.02.
        candidate[i] = key * 1.02 * Math.exp(0.03 * (-Math.log(1 - next()) - Math.LN2));
      }
      const ratio = pairedInterval(baseline, candidate, 0.95).ratio;
      if (ratio.low <= 1.02 && 1.02 <= ratio.high) covered++;
    }
    // Nominal 95%; three standard errors of the simulation below it.
    expect(covered / trials).toBeGreaterThanOrEqual(0.935);
  });
});
