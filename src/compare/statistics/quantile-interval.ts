/**
 * A distribution-free confidence interval for any quantile from order statistics, the generalisation of
 * src/stats/median-interval.ts: the number of samples at or below the true q-quantile is Binomial(n, q), so
 * the r-th and s-th smallest samples bracket it with probability P(r <= B < s) whatever the distribution.
 */
import { normalQuantile } from '../../stats/index.js';
import { binomialPmf } from './binomial.js';

/** Below this variance n*q*(1-q) the normal approximation of a skewed binomial's tails is poor: stay exact. */
const EXACT_VARIANCE = 100;
/** Exact tails are O(n); past this they would cost more than the rest of a comparison. */
const EXACT_LIMIT = 1_000_000;

/**
 * 0-based ranks of the interval's ends, equal-tailed (at most (1 - confidence) / 2 outside on each side); null
 * when n is too small for this confidence. Exact binomial tails for n <= 1000 (as medianRankInterval) and for
 * extreme quantiles whose binomial is still skewed, the normal approximation with continuity correction above.
 */
export function quantileRankInterval(n: number, q: number, confidence: number): { lower: number; upper: number } | null {
  if (!(q > 0 && q < 1) || n < 1) return null;
  const halfAlpha = (1 - confidence) / 2;
  if (n <= 1000 || (n * q * (1 - q) < EXACT_VARIANCE && n <= EXACT_LIMIT)) return exactRanks(n, q, halfAlpha);
  const z = normalQuantile(1 - halfAlpha);
  const spread = z * Math.sqrt(n * q * (1 - q));
  const lower = Math.floor(n * q - spread - 0.5);
  const upper = Math.ceil(n * q + spread - 0.5);
  // No clamping: an end pushed to the extreme sample would no longer carry the confidence it claims.
  if (lower < 0 || upper > n - 1) return null;
  return { lower, upper };
}

function exactRanks(n: number, q: number, halfAlpha: number): { lower: number; upper: number } | null {
  const pmf = binomialPmf(n, q);
  let lower = -1;
  let cumulative = 0;
  for (let j = 0; j <= n; j++) {
    cumulative += pmf[j]!;
    // P(B <= j) > alpha/2: the (j+1)-th smallest can no longer be the lower end, the j-th still can.
    if (cumulative > halfAlpha) {
      lower = j - 1;
      break;
    }
  }
  let upper = n;
  cumulative = 0;
  for (let j = n; j >= 0; j--) {
    cumulative += pmf[j]!;
    // P(B >= j) > alpha/2: the j-th smallest (0-based) is the lowest upper end that keeps that tail small.
    if (cumulative > halfAlpha) {
      upper = j;
      break;
    }
  }
  if (lower < 0 || upper > n - 1) return null;
  return { lower, upper };
}

/** The interval on ascending samples; null when there are too few samples for the confidence asked. */
export function quantileInterval(
  sorted: Float64Array,
  q: number,
  confidence: number,
): { confidence: number; low: number; high: number } | null {
  const ranks = quantileRankInterval(sorted.length, q, confidence);
  if (!ranks) return null;
  return { confidence, low: sorted[ranks.lower]!, high: sorted[ranks.upper]! };
}
