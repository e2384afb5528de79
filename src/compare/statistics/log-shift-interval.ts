/**
 * The Hodges-Lehmann shift between log times: the median of every difference log c_j - log b_i, a robust
 * "typical ratio" exp(shift) that, unlike a ratio of medians, uses every pair. Its interval inverts the
 * Mann-Whitney test: the k-th smallest and k-th largest differences, k from U's null distribution. It is
 * distribution-free for a pure shift of the log times (a scaling of the times), whatever their shape.
 */
import type { RatioInterval } from '../types.js';
import { arrangements, shiftIntervalRank } from './mann-whitney-distribution.js';
import { PairDifferences } from './pair-differences.js';

/**
 * Inputs are the logs of each side, ascending (sort once, take logs: log is monotone). When the samples are
 * too few for an interval at this confidence (3 vs 3 at 99%), the interval is [0, Infinity]: the estimate
 * stands, the ends say "anything".
 */
export function logShiftInterval(sortedLogBaseline: Float64Array, sortedLogCandidate: Float64Array, confidence: number): RatioInterval {
  const differences = new PairDifferences(sortedLogBaseline, sortedLogCandidate);
  const estimate = Math.exp(differences.median());
  const k = shiftIntervalRank(sortedLogBaseline.length, sortedLogCandidate.length, confidence);
  if (k === null) return { estimate, low: 0, high: Number.POSITIVE_INFINITY, confidence };
  return {
    estimate,
    low: Math.exp(differences.select(k)),
    high: Math.exp(differences.select(differences.count - k + 1)),
    confidence,
  };
}

/**
 * The widest interval the samples allow: the smallest and largest difference, whose confidence is
 * 1 - 2 / C(n + m, n). Small runs that have no interval at the confidence asked still get a sense of spread
 * from it (for samplesToResolve).
 */
export function extremeLogShiftInterval(sortedLogBaseline: Float64Array, sortedLogCandidate: Float64Array): RatioInterval {
  const n = sortedLogBaseline.length;
  const m = sortedLogCandidate.length;
  const differences = new PairDifferences(sortedLogBaseline, sortedLogCandidate);
  return {
    estimate: Math.exp(differences.median()),
    low: Math.exp(sortedLogCandidate[0]! - sortedLogBaseline[n - 1]!),
    high: Math.exp(sortedLogCandidate[m - 1]! - sortedLogBaseline[0]!),
    confidence: 1 - 2 / arrangements(n, m),
  };
}
