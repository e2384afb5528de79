/**
 * Statistics with no keyscope types in them: quantiles, distribution-free intervals, histograms. The bottom room:
 * it imports nothing from src.
 */
export { decodeHistogram, encodeHistogram } from './histogram.js';
export { binomialPmf } from './binomial.js';
export { relativePrecision, samplesForMedianInterval } from './median-precision.js';
export { erfc, normalCdf, normalQuantile, twoSidedPValue } from './normal.js';
export { medianInterval, medianRankInterval, quantileInterval, quantileRankInterval, type RankInterval } from './rank-interval.js';
export { median, quantileSorted, sortedCopy } from './quantile.js';
export {
  ewma,
  ewmaScore,
  type EwmaScore,
  type EwmaState,
  madScale,
  meanAbsoluteDeviationScale,
  medianAbsoluteDeviation,
  robustZScore,
  type RobustScore,
  scaledMad,
} from './robust.js';
export { seededRandom } from './seeded-random.js';
