/**
 * Seeded paired runs: sample i of both runs timed the same key, so d_i = log c_i - log b_i cancels the luck of
 * that key (RSA's prime search) and leaves the change plus timing noise. The estimate is exp(median d), its
 * interval the median's order-statistic interval (the sign test inverted), which needs no symmetry of d.
 */
import type { RankTest, RatioInterval } from '../types.js';
import { medianRankInterval } from '../../stats/index.js';
import { selectInPlace } from './select-in-place.js';
import { signTest } from './sign-test.js';

export interface PairedComparison {
  /** [0, Infinity] when the pairs are too few for an interval at this confidence. */
  ratio: RatioInterval;
  test: RankTest;
  /** min(n, m): pairs beyond the shorter run have no partner and are left out. */
  pairs: number;
  /** The widest interval the pairs allow (smallest and largest d), with its confidence 1 - 2^(1 - pairs). */
  widest: RatioInterval;
}

export function pairedInterval(baseline: Float64Array, candidate: Float64Array, confidence: number): PairedComparison {
  const pairs = Math.min(baseline.length, candidate.length);
  const d = new Float64Array(pairs);
  let slower = 0;
  let untied = 0;
  let smallest = Number.POSITIVE_INFINITY;
  let largest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < pairs; i++) {
    const value = Math.log(candidate[i]!) - Math.log(baseline[i]!);
    d[i] = value;
    if (value !== 0) untied++;
    if (value > 0) slower++;
    if (value < smallest) smallest = value;
    if (value > largest) largest = value;
  }
  // Four order statistics at most, so selection (linear) rather than a sort: a million pairs is cheap.
  const middle = (pairs - 1) >> 1;
  selectInPlace(d, middle);
  const lowerMiddle = d[middle]!;
  let upperMiddle = lowerMiddle;
  if (pairs % 2 === 0) {
    upperMiddle = Number.POSITIVE_INFINITY;
    for (let i = middle + 1; i < pairs; i++) if (d[i]! < upperMiddle) upperMiddle = d[i]!;
  }
  const estimate = Math.exp((lowerMiddle + upperMiddle) / 2);
  const ranks = medianRankInterval(pairs, confidence);
  let ratio: RatioInterval = { estimate, low: 0, high: Number.POSITIVE_INFINITY, confidence };
  if (ranks) {
    // Selection left the smallest `middle` values before the middle and the rest after it: each end is
    // selected within its own side, which the other selection does not disturb.
    if (ranks.lower < middle) selectInPlace(d, ranks.lower, 0, middle - 1);
    if (ranks.upper > middle) selectInPlace(d, ranks.upper, middle + 1, pairs - 1);
    const low = ranks.lower < middle ? d[ranks.lower]! : lowerMiddle;
    const high = ranks.upper > middle ? d[ranks.upper]! : lowerMiddle;
    ratio = { estimate, low: Math.exp(low), high: Math.exp(high), confidence };
  }
  return {
    ratio,
    test: signTest(slower, untied),
    pairs,
    widest: { estimate, low: Math.exp(smallest), high: Math.exp(largest), confidence: 1 - 2 ** (1 - pairs) },
  };
}
