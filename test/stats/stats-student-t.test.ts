import { describe, expect, it } from 'vitest';

import { clopperPearson, studentTCdf, studentTQuantile } from '../../src/stats/index.js';

// Reference values from SciPy: t.ppf(p, df), t.cdf(t, df), and beta.ppf for the Clopper-Pearson bounds.
describe("Student's t", () => {
  it.each([
    [0.995, 4, 4.604094871349992],
    [0.975, 10, 2.228138851986274],
    [0.95, 1, 6.313751514675041],
    [0.99, 2.5, 5.353111173030872],
    [0.9975, 30, 3.0297982236482506],
    [0.995, 1e6, 2.575834220105334],
  ])('quantile(%s, df %s) is %s', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 8);
    expect(studentTQuantile(1 - p, df)).toBeCloseTo(-expected, 8);
  });

  it('has the CDF its quantile inverts, symmetric about 0', () => {
    expect(studentTCdf(-2, 3)).toBeCloseTo(0.06966298427942164, 12);
    expect(studentTCdf(0, 7)).toBe(0.5);
    for (const df of [1, 3.5, 12, 200]) for (const p of [0.6, 0.9, 0.999]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
  });

  it('refuses probabilities outside (0, 1) and non-positive degrees of freedom', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError);
  });
});

describe('Clopper-Pearson', () => {
  it.each([
    [0, 20, 0, 0.1684334709830851],
    [19, 20, 0.7512672372279724, 0.9987349105020503],
    [5, 10, 0.1870860284474012, 0.8129139715525988],
    [1, 40, 0.0006327449320494191, 0.13158585848276572],
  ])('%s of %s: %s .. %s at 95%%', (k, n, low, high) => {
    const interval = clopperPearson(k, n, 0.95);
    expect(interval.low).toBeCloseTo(low, 9);
    expect(interval.high).toBeCloseTo(high, 9);
  });

  it('refuses counts that are not 0 <= k <= n', () => {
    expect(() => clopperPearson(3, 2, 0.95)).toThrow(RangeError);
    expect(() => clopperPearson(0, 0, 0.95)).toThrow(RangeError);
  });
});
