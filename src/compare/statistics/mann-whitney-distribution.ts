/**
 * The null distribution of the Mann-Whitney U statistic, and from it the rank k of the pairwise difference
 * that ends the Hodges-Lehmann interval: the k-th smallest and k-th largest of the n*m differences bracket the
 * true shift with probability 1 - 2 P(U <= k - 1).
 */
import { normalQuantile } from '../../stats/index.js';

/**
 * Exact frequencies cost O(s * s * l / 2) for sides s <= l (a few ms at this limit, about 125 x 125). Past it
 * the normal approximation with continuity correction errs on the safe side: U's tails are lighter than the
 * normal's, so k comes out smaller by a few hundredths of U's standard deviation at most (most for very
 * unequal sides) and the interval a hair wider, never narrower.
 */
const EXACT_WORK = 2_000_000;

/**
 * Frequencies f[u] = #{arrangements with U = u} for u = 0..upTo, sides n and m, no ties. They are the
 * coefficients of the Gaussian binomial [n+m choose n]_q, built one factor at a time as
 * [l+i choose i] = [l+i-1 choose i-1] (1 - q^(l+i)) / (1 - q^i) (Harding 1984). Dividing first keeps every
 * intermediate series non-negative, and nothing ever moves to lower powers, so truncating at upTo is exact.
 * Plain doubles: the largest count stays far below 1e308 within the exact limits above.
 */
export function mannWhitneyFrequencies(n: number, m: number, upTo: number): Float64Array {
  const small = Math.min(n, m);
  const large = Math.max(n, m);
  const top = Math.min(upTo, small * large);
  const f = new Float64Array(top + 1);
  f[0] = 1;
  for (let i = 1; i <= small; i++) {
    for (let u = i; u <= top; u++) f[u]! += f[u - i]!;
    const step = large + i;
    for (let u = top; u >= step; u--) f[u]! -= f[u - step]!;
    // Counts past the current maximum U (i * large) are zero; clear the rounding left by the subtraction.
    for (let u = i * large + 1; u <= top; u++) f[u] = 0;
  }
  return f;
}

/**
 * The 1-based rank k of the lower end of the shift interval (the upper end is the k-th largest), the largest k
 * with P(U <= k - 1) <= (1 - confidence) / 2; null when even the extreme differences fall short (3 vs 3 at 99%).
 */
export function shiftIntervalRank(n: number, m: number, confidence: number): number | null {
  const halfAlpha = (1 - confidence) / 2;
  const small = Math.min(n, m);
  const large = Math.max(n, m);
  const pairs = small * large;
  if (small < 1) return null;
  if (small * small * large <= EXACT_WORK) {
    const half = Math.floor(pairs / 2);
    const f = mannWhitneyFrequencies(small, large, half);
    // The distribution is symmetric about pairs / 2: the total is twice the lower half (plus a middle term).
    let lowerHalf = 0;
    for (let u = 0; u < half; u++) lowerHalf += f[u]!;
    const total = 2 * lowerHalf + (pairs % 2 === 0 ? f[half]! : 2 * f[half]!);
    let cumulative = 0;
    for (let u = 0; u <= half; u++) {
      cumulative += f[u]! / total;
      if (cumulative > halfAlpha) return u === 0 ? null : u;
    }
    return half;
  }
  const z = normalQuantile(1 - halfAlpha);
  const sd = Math.sqrt((pairs * (n + m + 1)) / 12);
  // P(U <= k - 1) ~ Phi((k - 1 + 1/2 - pairs/2) / sd) <= alpha/2.
  const k = Math.floor(pairs / 2 - z * sd + 0.5);
  return k >= 1 ? k : null;
}

/** C(n + m, n), the number of arrangements; for the confidence of the widest interval small samples allow. */
export function arrangements(n: number, m: number): number {
  const small = Math.min(n, m);
  let count = 1;
  for (let i = 1; i <= small; i++) count = (count * (Math.max(n, m) + i)) / i;
  return count;
}
