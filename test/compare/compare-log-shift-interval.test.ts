import { describe, expect, it } from 'vitest';

import { logShiftInterval } from '../../src/compare/statistics/log-shift-interval.js';
import { mannWhitneyFrequencies, shiftIntervalRank } from '../../src/compare/statistics/mann-whitney-distribution.js';
import { PairDifferences } from '../../src/compare/statistics/pair-differences.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

/** Every difference y[j] - x[i], sorted: what the O(n + m) search must reproduce exactly. */
function allDifferences(x: Float64Array, y: Float64Array): Float64Array {
  const out = new Float64Array(x.length * y.length);
  let w = 0;
  for (const yj of y) for (const xi of x) out[w++] = yj - xi;
  return out.sort();
}

function sortedLogs(values: number[]): Float64Array {
  return Float64Array.from(values, Math.log).sort();
}

function logNormal(next: () => number, count: number, scale = 1, sigma = 0.3): number[] {
  return Array.from({ length: count }, () => scale * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())));
}

/** #{arrangements with U = u} by the additive recurrence f(n, m, u) = f(n-1, m, u-m) + f(n, m-1, u). */
function bruteFrequencies(n: number, m: number): number[] {
  const memo = new Map<string, number[]>();
  const f = (a: number, b: number): number[] => {
    if (a === 0 || b === 0) return [1];
    const key = `${a},${b}`;
    const cached = memo.get(key);
    if (cached) return cached;
    const out = new Array<number>(a * b + 1).fill(0);
    f(a - 1, b).forEach((v, u) => (out[u + b]! += v));
    f(a, b - 1).forEach((v, u) => (out[u]! += v));
    memo.set(key, out);
    return out;
  };
  return f(n, m);
}

describe('Mann-Whitney null distribution', () => {
  it('matches brute-force counts of arrangements', () => {
    for (const [n, m] of [[1, 1], [2, 3], [4, 4], [5, 9], [12, 7], [20, 20]] as const) {
      const brute = bruteFrequencies(n, m);
      const fast = mannWhitneyFrequencies(n, m, n * m);
      brute.forEach((count, u) => expect(fast[u]).toBeCloseTo(count, -Math.log10(count) + 9));
    }
  });

  it('gives the textbook critical values (n = m = 10: U <= 23 at 5%, U <= 16 at 1%)', () => {
    expect(shiftIntervalRank(10, 10, 0.95)).toBe(24);
    expect(shiftIntervalRank(10, 10, 0.99)).toBe(17);
    // 3 vs 3: even U = 0 has probability 1/20, too likely for a 99% (or 95%) interval.
    expect(shiftIntervalRank(3, 3, 0.99)).toBeNull();
    expect(shiftIntervalRank(3, 3, 0.95)).toBeNull();
    expect(shiftIntervalRank(3, 3, 0.89)).toBe(1);
  });

  it('hands over from exact to a slightly conservative normal approximation', () => {
    // Past the exact limit (about 125 x 125), the approximation must never be narrower than the exact interval
    // (U's tails are lighter than the normal's, most of all for very unequal sides, so it comes out wider).
    for (const [n, m] of [[150, 150], [300, 300], [20, 5001], [60, 700]] as const) {
      const half = Math.floor((n * m) / 2);
      const f = mannWhitneyFrequencies(n, m, half);
      let lowerHalf = 0;
      for (let u = 0; u < half; u++) lowerHalf += f[u]!;
      const total = 2 * lowerHalf + ((n * m) % 2 === 0 ? f[half]! : 2 * f[half]!);
      let exact = 0;
      for (let cumulative = f[0]! / total; cumulative <= 0.005; cumulative += f[exact]! / total) exact++;
      const approx = shiftIntervalRank(n, m, 0.99)!;
      // Wider by at most a few hundredths of U's standard deviation (the interval's half-width is 2.6 of them).
      const sd = Math.sqrt((n * m * (n + m + 1)) / 12);
      expect(approx).toBeLessThanOrEqual(exact);
      expect(exact - approx).toBeLessThanOrEqual(0.03 * sd);
    }
  });
});

describe('order statistics of pairwise differences', () => {
  it('selects every rank exactly on small arrays, ties included', () => {
    const next = seededRandom(11);
    for (const [n, m, levels] of [[1, 1, 0], [1, 7, 0], [6, 1, 0], [9, 13, 0], [20, 20, 4], [15, 31, 0]] as const) {
      // levels > 0: values drawn from a few distinct levels, so many differences tie.
      const draw = (): number => (levels ? 1 + Math.floor(next() * levels) : Math.exp(next()));
      const x = sortedLogs(Array.from({ length: n }, draw));
      const y = sortedLogs(Array.from({ length: m }, draw));
      const brute = allDifferences(x, y);
      const pairs = new PairDifferences(x, y);
      for (let k = 1; k <= n * m; k++) expect(pairs.select(k)).toBe(brute[k - 1]);
      for (const d of [brute[0]! - 1, brute[3 % brute.length]!, 0, brute[brute.length - 1]!]) {
        expect(pairs.countAtMost(d)).toBe(brute.filter((v) => v <= d).length);
      }
    }
  });

  it('selects exactly past the gather limit, where the secant search runs', () => {
    const next = seededRandom(12);
    const cases: [number[], number[]][] = [
      [logNormal(next, 400), logNormal(next, 250, 1.05)],
      // Heavy ties: 6 levels, so single differences repeat tens of thousands of times.
      [Array.from({ length: 300 }, () => 1 + Math.floor(next() * 6)), Array.from({ length: 280 }, () => 1 + Math.floor(next() * 6))],
      // A heavy right tail on one side.
      [logNormal(next, 333, 1, 1.5), logNormal(next, 120, 1, 0.1)],
    ];
    for (const [a, b] of cases) {
      const x = sortedLogs(a);
      const y = sortedLogs(b);
      const brute = allDifferences(x, y);
      const pairs = new PairDifferences(x, y);
      const ranks = [1, 2, 17, Math.floor(brute.length * 0.003), Math.floor(brute.length / 2), brute.length - 5, brute.length];
      for (let t = 0; t < 20; t++) ranks.push(1 + Math.floor(next() * brute.length));
      for (const k of ranks) expect(pairs.select(k)).toBe(brute[k - 1]);
    }
  });

  it('refuses ranks outside 1..n*m', () => {
    const pairs = new PairDifferences(Float64Array.of(0, 1), Float64Array.of(0, 1, 2));
    expect(() => pairs.select(0)).toThrow(RangeError);
    expect(() => pairs.select(7)).toThrow(RangeError);
    expect(() => pairs.select(1.5)).toThrow(RangeError);
  });
});

describe('Hodges-Lehmann ratio with its Mann-Whitney interval', () => {
  it('equals the brute-force median and k-th differences', () => {
    const next = seededRandom(13);
    for (const [n, m, tie] of [[10, 10, false], [7, 12, false], [25, 40, true], [90, 111, false], [120, 80, true]] as const) {
      const round = (v: number): number => (tie ? Math.round(v * 20) / 20 : v);
      const x = sortedLogs(logNormal(next, n).map(round));
      const y = sortedLogs(logNormal(next, m, 1.1).map(round));
      const brute = allDifferences(x, y);
      const N = brute.length;
      const median = N % 2 ? brute[(N - 1) / 2]! : (brute[N / 2 - 1]! + brute[N / 2]!) / 2;
      const k = shiftIntervalRank(n, m, 0.99)!;
      const interval = logShiftInterval(x, y, 0.99);
      expect(interval.estimate).toBe(Math.exp(median));
      expect(interval.low).toBe(Math.exp(brute[k - 1]!));
      expect(interval.high).toBe(Math.exp(brute[N - k]!));
      expect(interval.confidence).toBe(0.99);
    }
  });

  it('is [0, Infinity] around the estimate when the samples are too few for the confidence', () => {
    const interval = logShiftInterval(sortedLogs([10, 11, 12]), sortedLogs([20, 21, 22]), 0.99);
    expect(interval).toMatchObject({ low: 0, high: Number.POSITIVE_INFINITY, confidence: 0.99 });
    expect(interval.estimate).toBeCloseTo(21 / 11, 12);
  });

  it('covers the true ratio at least as often as it promises', () => {
    const next = seededRandom(14);
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const x = sortedLogs(logNormal(next, 15, 1, 0.5));
      const y = sortedLogs(logNormal(next, 22, 1.2, 0.5));
      const interval = logShiftInterval(x, y, 0.95);
      if (interval.low <= 1.2 && 1.2 <= interval.high) covered++;
    }
    // Nominal 95% (the exact interval gives a little more); 0.935 is three standard errors below.
    expect(covered / trials).toBeGreaterThanOrEqual(0.935);
  });
});
