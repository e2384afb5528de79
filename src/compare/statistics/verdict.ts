/**
 * From a ratio interval to a verdict. A change counts only when it is both statistically clear (the interval
 * excludes 1) and as large as the threshold; "unchanged" is a positive finding too: the whole interval lies
 * inside the threshold band, so any change that hides in the noise is too small to matter.
 */
import { normalQuantile } from '../../stats/index.js';
import type { RatioInterval, Verdict } from '../types.js';

export function decideVerdict(ratio: RatioInterval, threshold: number): Verdict {
  const { estimate, low, high } = ratio;
  if (low > 1 && estimate >= 1 + threshold) return 'regressed';
  if (high < 1 && estimate <= 1 - threshold) return 'improved';
  if (low >= 1 - threshold && high <= 1 + threshold) return 'unchanged';
  return 'inconclusive';
}

/** Past this, no realistic run resolves the verdict (the estimate sits on a boundary of the band). */
const MAX_SAMPLES = 1e9;

/**
 * For an inconclusive verdict: samples per side that would likely resolve it, assuming the interval keeps its
 * centre and narrows as 1/sqrt(n). In log space the interval's half-width h must shrink to h*: |log e| when
 * the estimate is beyond the band (the interval must exclude "no change"), else the distance from log e to the
 * nearer edge of the band (it must fit inside). `count` is the smaller side (paired: the pairs).
 * `confidence` rescales an interval taken at another confidence (the widest one tiny samples allow).
 * Null when h* is ~0 or the answer is past 1e9 samples.
 */
export function samplesToResolve(ratio: RatioInterval, threshold: number, count: number, confidence = ratio.confidence): number | null {
  const l = Math.log(ratio.estimate);
  let halfWidth = (Math.log(ratio.high) - Math.log(ratio.low)) / 2;
  if (confidence !== ratio.confidence) {
    halfWidth *= normalQuantile(1 - (1 - confidence) / 2) / normalQuantile(1 - (1 - ratio.confidence) / 2);
  }
  const beyond = ratio.estimate >= 1 + threshold || ratio.estimate <= 1 - threshold;
  const needed = beyond ? Math.abs(l) : Math.min(Math.log1p(threshold) - l, l - Math.log1p(-threshold));
  if (!(needed > 1e-12) || !Number.isFinite(halfWidth)) return null;
  // At least one more sample: an interval asymmetric about the estimate can be inconclusive with h < h*.
  const samples = Math.max(count + 1, Math.ceil(count * (halfWidth / needed) ** 2));
  return samples > MAX_SAMPLES ? null : samples;
}
