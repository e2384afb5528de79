/**
 * Binomial probabilities for the order-statistic intervals and the sign test. Terms are built in log space so
 * that n in the thousands stays finite: 0.5^1000 underflows, its logarithm does not.
 */

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
