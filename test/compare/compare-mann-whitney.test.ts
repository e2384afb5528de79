import { describe, expect, it } from 'vitest';

import { mannWhitney } from '../../src/compare/statistics/mann-whitney.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

const sorted = (values: number[]): Float64Array => Float64Array.from(values).sort();

/** U of the candidate by brute force: pairs where it is slower, ties counting half. */
function bruteU(baseline: number[], candidate: number[]): number {
  let u = 0;
  for (const c of candidate) for (const b of baseline) u += c > b ? 1 : c === b ? 0.5 : 0;
  return u;
}

describe('Mann-Whitney U test', () => {
  it('reproduces a textbook example (scipy mannwhitneyu, asymptotic, continuity-corrected)', () => {
    // scipy.stats.mannwhitneyu([19, 22, 16, 29, 24], [20, 11, 17, 12], method='asymptotic'):
    // statistic 17, p 0.11134688653314041.
    const test = mannWhitney(sorted([20, 11, 17, 12]), sorted([19, 22, 16, 29, 24]));
    expect(test.name).toBe('mann-whitney');
    expect(test.statistic).toBe(17);
    expect(test.pValue).toBeCloseTo(0.11134688653314041, 6);
    expect(test.z).toBeGreaterThan(0);
  });

  it('corrects the variance for ties (scipy gives p 0.17211476477155463)', () => {
    const test = mannWhitney(sorted([1, 2, 2, 3, 3, 3, 4, 5]), sorted([2, 3, 3, 4, 4, 6, 7]));
    expect(test.statistic).toBe(40);
    expect(test.pValue).toBeCloseTo(0.17211476477155463, 6);
  });

  it('counts U like the brute-force pair count, with and without ties', () => {
    const next = seededRandom(21);
    for (const [n, m, levels] of [[5, 8, 0], [30, 17, 0], [40, 40, 5], [3, 60, 2], [100, 1, 0]] as const) {
      const draw = (): number => (levels ? Math.floor(next() * levels) + 1 : next() * 100 + 1);
      const baseline = Array.from({ length: n }, draw);
      const candidate = Array.from({ length: m }, draw);
      const test = mannWhitney(sorted(baseline), sorted(candidate));
      expect(test.statistic).toBe(bruteU(baseline, candidate));
      // The same data from the other side: U' = n*m - U, z mirrored, p unchanged.
      const mirrored = mannWhitney(sorted(candidate), sorted(baseline));
      expect(mirrored.statistic).toBe(n * m - test.statistic);
      expect(mirrored.z).toBeCloseTo(-test.z, 12);
      expect(mirrored.pValue).toBeCloseTo(test.pValue, 12);
    }
  });

  it('has z positive when the candidate is slower and tiny p for a clear shift', () => {
    const next = seededRandom(22);
    const baseline = Array.from({ length: 200 }, () => 100 + next() * 10);
    const slower = mannWhitney(sorted(baseline), sorted(baseline.map((v) => v * 1.05)));
    expect(slower.z).toBeGreaterThan(5);
    expect(slower.pValue).toBeLessThan(1e-6);
    const faster = mannWhitney(sorted(baseline), sorted(baseline.map((v) => v * 0.95)));
    expect(faster.z).toBeLessThan(-5);
  });

  it('says nothing when every value is the same', () => {
    expect(mannWhitney(sorted([5, 5, 5]), sorted([5, 5]))).toEqual({ name: 'mann-whitney', statistic: 3, z: 0, pValue: 1 });
  });

  it('holds its level under the null hypothesis', () => {
    const next = seededRandom(23);
    let rejected = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const a = Array.from({ length: 25 }, () => -Math.log(1 - next()));
      const b = Array.from({ length: 30 }, () => -Math.log(1 - next()));
      if (mannWhitney(sorted(a), sorted(b)).pValue < 0.05) rejected++;
    }
    // Continuity correction makes the test slightly conservative: at most 5% plus three standard errors.
    expect(rejected / trials).toBeLessThanOrEqual(0.065);
    expect(rejected / trials).toBeGreaterThan(0.02);
  });
});
