import { expect, it } from 'vitest';

import { erfc, normalCdf, normalQuantile, twoSidedPValue } from '../../src/stats/normal.js';

it('computes erfc to ~1e-7 relative accuracy, deep tails included', () => {
  // Reference values: Python math.erfc.
  const cases: [number, number][] = [
    [0, 1],
    [1, 0.15729920705028513],
    [3, 2.2090496998585438e-5],
    [-0.5, 1.5204998778130465],
    [6, 2.1519736712498916e-17],
  ];
  for (const [x, expected] of cases) expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(2e-7);
});

it('inverts normalQuantile', () => {
  for (const p of [0.001, 0.025, 0.3, 0.5, 0.9, 0.995]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
});

it('gives two-sided p-values symmetric in z', () => {
  expect(twoSidedPValue(1.959963984540054)).toBeCloseTo(0.05, 6);
  expect(twoSidedPValue(-1.959963984540054)).toBeCloseTo(0.05, 6);
  expect(twoSidedPValue(0)).toBe(1);
  expect(twoSidedPValue(40)).toBeGreaterThanOrEqual(0);
});
