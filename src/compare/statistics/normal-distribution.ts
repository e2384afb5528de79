/**
 * The standard normal distribution's tails, for p-values of the rank tests. Quantiles come from
 * src/stats/median-interval.ts (normalQuantile); this is the other direction.
 */

/**
 * Complementary error function, Numerical Recipes' `erfcc` (a Chebyshev fit): relative error below 1.2e-7
 * everywhere, tails included, so p-values of 1e-30 are still right to seven digits instead of rounding to 0
 * the way 1 - cdf would.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const tail = t * Math.exp(-z * z + poly);
  return x >= 0 ? tail : 2 - tail;
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided p-value of a standardised statistic: P(|Z| >= |z|). */
export function twoSidedPValue(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}
