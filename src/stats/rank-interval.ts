/**
 * Distribution-free confidence intervals for quantiles from order statistics: the number of samples at or
 * below the true q-quantile is Binomial(n, q), so the r-th and s-th smallest samples bracket it with
 * probability P(r <= B < s) whatever the distribution, heavy tails (RSA) included. The median is q = 1/2.
 */
import { binomialPmf } from './binomial.js';
import { normalQuantile } from './normal.js';

export interface RankInterval {
  /** 0-based rank of the lower end. */
  lower: number;
  /** 0-based rank of the upper end. */
  upper: number;
}

/** Exact tails up to this many samples whatever q, the normal approximation with continuity correction above. */
const EXACT_SAMPLES = 1000;
/** Below this variance n*q*(1-q) the normal approximation of a skewed binomial's tails is poor: stay exact. */
const EXACT_VARIANCE = 100;
/** Exact tails are O(n); past this they would cost more than the rest of a comparison. */
const EXACT_LIMIT = 1_000_000;

/**
 * 0-based ranks of the interval's ends, equal-tailed (at most (1 - confidence) / 2 outside on each side); null
 * when n is too small for this confidence. Exact binomial tails for n <= 1000 and for extreme quantiles whose
 * binomial is still skewed, the normal approximation with continuity correction above.
 */
export function quantileRankInterval(n: number, q: number, confidence: number): RankInterval | null {
  if (!(q > 0 && q < 1) || n < 1) return null;
  const halfAlpha = (1 - confidence) / 2;
  if (n <= EXACT_SAMPLES || (n * q * (1 - q) < EXACT_VARIANCE && n <= EXACT_LIMIT)) {
    return q === 0.5 ? exactMedianRanks(n, halfAlpha) : exactRanks(n, q, halfAlpha);
  }
  const z = normalQuantile(1 - halfAlpha);
  const spread = z * Math.sqrt(n * q * (1 - q));
  const lower = Math.floor(n * q - spread - 0.5);
  const upper = Math.ceil(n * q + spread - 0.5);
  // No clamping: an end pushed to the extreme sample would no longer carry the confidence it claims.
  if (lower < 0 || upper > n - 1) return null;
  return { lower, upper };
}

/** The median's ranks (quantileRankInterval at q = 1/2). */
export function medianRankInterval(n: number, confidence: number): RankInterval | null {
  return quantileRankInterval(n, 0.5, confidence);
}

/**
 * Binomial(n, 1/2) is symmetric: one tail, summed in log space (finite for n up to 1000), gives both ends,
 * so the interval is symmetric even where a tail sum ties (1 - confidence) / 2 to the last bit.
 */
function exactMedianRanks(n: number, halfAlpha: number): RankInterval | null {
  const logHalfN = n * Math.log(0.5);
  let logCoef = 0; // log C(n, 0)
  let cumulative = 0;
  for (let j = 0; j < n; j++) {
    cumulative += Math.exp(logCoef + logHalfN);
    // P(B <= j) > alpha/2 means rank j (0-based) cannot serve as the lower end any more.
    if (cumulative > halfAlpha) {
      if (j === 0) return null; // too few samples for this confidence
      return { lower: j - 1, upper: n - j };
    }
    logCoef += Math.log(n - j) - Math.log(j + 1);
  }
  return null;
}

function exactRanks(n: number, q: number, halfAlpha: number): RankInterval | null {
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

/** The q-quantile's interval on ascending samples; null when there are too few for the confidence asked. */
export function quantileInterval(sorted: Float64Array, q: number, confidence: number): { confidence: number; low: number; high: number } | null {
  const ranks = quantileRankInterval(sorted.length, q, confidence);
  if (!ranks) return null;
  return { confidence, low: sorted[ranks.lower]!, high: sorted[ranks.upper]! };
}

/** The median's interval on ascending samples; NaN ends when there are too few for the confidence asked. */
export function medianInterval(sorted: Float64Array, confidence: number): { confidence: number; low: number; high: number } {
  return quantileInterval(sorted, 0.5, confidence) ?? { confidence, low: Number.NaN, high: Number.NaN };
}
