/**
 * Ratio of a high quantile (p90, p99) of the candidate to the baseline's. The two quantile intervals are taken
 * at 1 - (1 - c)/2 each, so both hold at once with probability >= c (Bonferroni, no independence needed: this
 * also holds for paired runs), and then so does [lowC / highB, highC / lowB].
 */
import type { RatioInterval } from '../types.js';
import { quantileInterval, quantileSorted } from '../../stats/index.js';

/** Null when either side has too few samples for its interval (p99 at 99% needs about 600). */
export function tailRatio(
  sortedBaseline: Float64Array,
  sortedCandidate: Float64Array,
  q: number,
  confidence: number,
): RatioInterval | null {
  const each = 1 - (1 - confidence) / 2;
  const baseline = quantileInterval(sortedBaseline, q, each);
  const candidate = quantileInterval(sortedCandidate, q, each);
  if (!baseline || !candidate) return null;
  return {
    // The same interpolated quantile (type 7) as the run summaries' p90/p99, so the ratio matches them.
    estimate: quantileSorted(sortedCandidate, q) / quantileSorted(sortedBaseline, q),
    low: candidate.low / baseline.high,
    high: candidate.high / baseline.low,
    confidence,
  };
}
