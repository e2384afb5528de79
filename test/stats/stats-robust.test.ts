import { describe, expect, it } from 'vitest';

import { median } from '../../src/stats/quantile.js';
import { ewma, ewmaScore, madScale, medianAbsoluteDeviation, robustZScore, scaledMad } from '../../src/stats/robust.js';

/** A deterministic "noisy" series: 100 ± up to 3, no pattern a detector could learn. */
const noise = Array.from({ length: 40 }, (_, i) => 100 + (((i * 37) % 7) - 3));

describe('median and MAD', () => {
  it('has known answers', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(median([1, Infinity, Infinity])).toBe(Infinity);
    // Median 3; absolute deviations 2, 1, 0, 1, 97 → median 1; the outlier 100 does not move it.
    expect(scaledMad([1, 2, 3, 4, 100])).toBe(madScale);
    expect(scaledMad([5, 5, 5, 5])).toBe(0);
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toBe(1);
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100], 0)).toBe(3);
  });

  it('scores a value in robust standard deviations from the median', () => {
    const scored = robustZScore(10, [1, 2, 3, 4, 100], 0.001);
    expect(scored).toEqual({ score: 7 / madScale, median: 3, mad: madScale, scale: madScale });
    expect(robustZScore(-4, [1, 2, 3, 4, 100], 0.001).score).toBeCloseTo(-7 / madScale, 12);
  });

  it('divides by the minimum scale when MAD is 0, never by zero', () => {
    expect(robustZScore(6, [5, 5, 5, 5], 0.5)).toEqual({ score: 2, median: 5, mad: 0, scale: 0.5 });
    expect(robustZScore(5, [5, 5, 5, 5], 0.5).score).toBe(0);
    expect(() => robustZScore(5, [5], 0)).toThrow(RangeError);
  });
});

describe('EWMA', () => {
  it('has known answers', () => {
    // mean 10 → deviation 0.5·|20 - 10| = 5, mean 15.
    expect(ewma([10, 20], 0.5)).toEqual({ mean: 15, deviation: 5 });
    const scored = ewmaScore(25, [10, 20], 0.5, 0.1);
    expect(scored.score).toBeCloseTo(10 / (Math.sqrt(Math.PI / 2) * 5), 12);
    expect(ewmaScore(7, [5, 5, 5], 0.3, 0.5).score).toBe(4);
  });

  it('fires on a level shift and stays quiet on noise', () => {
    expect(ewmaScore(130, noise, 0.3, 1).score).toBeGreaterThan(4);
    expect(ewmaScore(102, noise, 0.3, 1).score).toBeLessThan(4);
  });
});
