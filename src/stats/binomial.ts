/**
 * Binomial probabilities for the order-statistic intervals and the sign test. Terms are built in log space so
 * that n in the thousands stays finite: 0.5^1000 underflows, its logarithm does not.
 */

import { regularizedBeta } from './student-t.js';

/** P(B = j) for j = 0..n, B ~ Binomial(n, p). O(n); meant for the small n where exact tails matter. */
export function binomialPmf(n: number, p: number): Float64Array {
  const pmf = new Float64Array(n + 1);
  if (p <= 0 || p >= 1) {
    pmf[p <= 0 ? 0 : n] = 1;
    return pmf;
  }
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logCoef = 0; // log C(n, 0)
  for (let j = 0; j <= n; j++) {
    pmf[j] = Math.exp(logCoef + j * logP + (n - j) * logQ);
    logCoef += Math.log(n - j) - Math.log(j + 1);
  }
  return pmf;
}

/**
 * The Clopper-Pearson ("exact") interval of a binomial proportion: k successes in n trials, at `confidence`.
 * Conservative: it covers the true proportion at least as often as it says, which is what a published
 * false-positive rate needs.
 */
export function clopperPearson(k: number, n: number, confidence: number): { low: number; high: number } {
  if (!(Number.isInteger(n) && n > 0 && Number.isInteger(k) && k >= 0 && k <= n)) throw new RangeError(`clopperPearson: needs 0 <= k <= n, n > 0, got k=${k}, n=${n}`);
  const alpha = 1 - confidence;
  // P(X >= k | p) = I_p(k, n - k + 1) rises with p; P(X <= k | p) = 1 - I_p(k + 1, n - k) falls with p.
  const solve = (f: (p: number) => number, target: number) => {
    let low = 0;
    let high = 1;
    for (let i = 0; i < 100; i++) {
      const mid = (low + high) / 2;
      if (f(mid) < target) low = mid;
      else high = mid;
    }
    return (low + high) / 2;
  };
  const low = k === 0 ? 0 : solve((p) => regularizedBeta(p, k, n - k + 1), alpha / 2);
  const high = k === n ? 1 : solve((p) => -(1 - regularizedBeta(p, k + 1, n - k)), -alpha / 2);
  return { low, high };
}
