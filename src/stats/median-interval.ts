/**
 * A distribution-free confidence interval for the median from order statistics: the number of samples below
 * the true median is Binomial(n, 1/2), so the j-th and k-th smallest samples bracket it with probability
 * P(j <= B < k). Valid for any continuous distribution, heavy tails (RSA) included.
 */
import { quantileSorted } from './quantile.js';

/** Two-sided standard normal quantile for a confidence level (Acklam's rational approximation). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Exact binomial(n, 1/2) ranks for small n, normal approximation (with continuity correction) above. */
export function medianRankInterval(n: number, confidence: number): { lower: number; upper: number } | null {
  const alpha = 1 - confidence;
  if (n <= 1000) {
    // Cumulative probabilities of Binomial(n, 1/2) in log space, to stay finite for n up to 1000.
    const logHalfN = n * Math.log(0.5);
    let logCoef = 0; // log C(n, 0)
    let cumulative = 0;
    for (let j = 0; j < n; j++) {
      cumulative += Math.exp(logCoef + logHalfN);
      // P(B <= j) > alpha/2 means rank j (0-based) cannot serve as the lower end any more.
      if (cumulative > alpha / 2) {
        if (j === 0) return null; // too few samples for this confidence
        return { lower: j - 1, upper: n - j };
      }
      logCoef += Math.log(n - j) - Math.log(j + 1);
    }
    return null;
  }
  const z = normalQuantile(1 - alpha / 2);
  const half = (z * Math.sqrt(n)) / 2;
  const lower = Math.max(0, Math.floor(n / 2 - half - 0.5));
  const upper = Math.min(n - 1, Math.ceil(n / 2 + half - 0.5));
  return { lower, upper };
}

/** The interval on sorted samples; NaN ends when there are too few samples for the confidence asked. */
export function medianInterval(sorted: Float64Array, confidence: number): { confidence: number; low: number; high: number } {
  const ranks = medianRankInterval(sorted.length, confidence);
  if (!ranks) return { confidence, low: Number.NaN, high: Number.NaN };
  return { confidence, low: sorted[ranks.lower]!, high: sorted[ranks.upper]! };
}

/** Relative half-width of the median's interval: the precision a case has reached (Infinity if unknown). */
export function relativePrecision(sorted: Float64Array, confidence: number): number {
  const interval = medianInterval(sorted, confidence);
  const center = quantileSorted(sorted, 0.5);
  if (!Number.isFinite(interval.low) || center === 0) return Number.POSITIVE_INFINITY;
  return (interval.high - interval.low) / 2 / Math.abs(center);
}

/** The fewest samples whose median has an interval at this confidence (9 at 99%, 6 at 95%). */
export function samplesForMedianInterval(confidence: number): number {
  let n = 1;
  while (medianRankInterval(n, confidence) === null && n < 1e6) n++;
  return n;
}
