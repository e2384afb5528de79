import { describe, expect, it } from 'vitest';

import type { RatioInterval } from '../../src/compare/types.js';
import { decideVerdict, samplesToResolve } from '../../src/compare/statistics/verdict.js';

const ratio = (estimate: number, low: number, high: number, confidence = 0.99): RatioInterval => ({ estimate, low, high, confidence });

describe('verdict', () => {
  it('follows the four rules in order (threshold 5%)', () => {
    expect(decideVerdict(ratio(1.1, 1.02, 1.2), 0.05)).toBe('regressed');
    expect(decideVerdict(ratio(1.05, 1.001, 1.1), 0.05)).toBe('regressed'); // e >= 1 + t exactly
    expect(decideVerdict(ratio(0.9, 0.85, 0.97), 0.05)).toBe('improved');
    expect(decideVerdict(ratio(0.95, 0.9, 0.999), 0.05)).toBe('improved');
    expect(decideVerdict(ratio(1, 0.97, 1.03), 0.05)).toBe('unchanged');
    // Significant but small: the whole interval fits in the band, so it does not matter.
    expect(decideVerdict(ratio(1.04, 1.01, 1.045), 0.05)).toBe('unchanged');
    // Significant, but the estimate is below the threshold and the interval reaches past it.
    expect(decideVerdict(ratio(1.04, 1.01, 1.07), 0.05)).toBe('inconclusive');
    // Large, but not significant.
    expect(decideVerdict(ratio(1.08, 0.99, 1.19), 0.05)).toBe('inconclusive');
    expect(decideVerdict(ratio(1, 0.9, 1.1), 0.05)).toBe('inconclusive');
    expect(decideVerdict(ratio(1.3, 0, Number.POSITIVE_INFINITY), 0.05)).toBe('inconclusive');
  });
});

describe('samples to resolve an inconclusive verdict', () => {
  it('asks the interval to fit inside the band when the estimate is inside it', () => {
    // h = (log 1.1 - log 0.9) / 2, h* = log 1.05 (nearer edge): 100 * (h / h*)^2 = 422.97.
    expect(samplesToResolve(ratio(1, 0.9, 1.1), 0.05, 100)).toBe(423);
  });

  it('asks the interval to exclude 1 when the estimate is beyond the band', () => {
    // h = (log 1.19 - log 0.98) / 2, h* = log 1.08.
    expect(samplesToResolve(ratio(1.08, 0.98, 1.19), 0.05, 50)).toBe(80);
  });

  it('rescales an interval taken at another confidence', () => {
    // The same interval as above but at 90%, asked for at 99%: the half-width grows by z(0.995) / z(0.95).
    expect(samplesToResolve(ratio(1, 0.9, 1.1, 0.9), 0.05, 100, 0.99)).toBe(1038);
  });

  it('is at least one more sample, and null when the estimate sits on a boundary', () => {
    // Asymmetric interval narrower than h*: the formula alone would say fewer samples than there are.
    expect(samplesToResolve(ratio(1.2, 0.999, 1.21), 0.05, 40)).toBe(41);
    expect(samplesToResolve(ratio(1.05 * (1 - 1e-12), 1.01, 1.1), 0.05, 40)).toBeNull();
    expect(samplesToResolve(ratio(1, 0.9, 1.1), 0, 40)).toBeNull();
  });
});
