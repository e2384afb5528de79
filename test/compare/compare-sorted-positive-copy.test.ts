import { expect, it } from 'vitest';

import { sortedPositiveCopy } from '../../src/compare/statistics/sorted-positive-copy.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

it('sorts positive doubles like TypedArray sort, across magnitudes, ties and shared digits', () => {
  const next = seededRandom(61);
  const series: Float64Array[] = [
    // Log-normal timings in ns.
    Float64Array.from({ length: 50_000 }, () => 1e5 * Math.exp(next() - 0.5)),
    // Integer nanoseconds with many ties (the low 16-bit digits are all zero: that pass is skipped).
    Float64Array.from({ length: 30_000 }, () => 1000 + Math.floor(next() * 50)),
    // Every exponent from subnormal to huge.
    Float64Array.from({ length: 40_000 }, () => 2 ** (2000 * next() - 1070) * (1 + next())),
    // Below the radix threshold: the built-in sort.
    Float64Array.from({ length: 500 }, () => next() + 1e-9),
  ];
  for (const values of series) {
    const before = values.slice();
    const sorted = sortedPositiveCopy(values);
    expect(sorted).not.toBe(values);
    // Element by element: toEqual on 50,000-element arrays takes seconds.
    expect(firstDifference(sorted, values.slice().sort())).toBe(-1);
    expect(firstDifference(values, before)).toBe(-1);
  }
});

function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}
