/** TODO door of src/stats */
export {
  caseSignificantDigits,
  hdrHighestEquivalent,
  hdrLowestEquivalent,
  hdrLowestEquivalentSql,
  hdrShift,
  hdrShiftSql,
  latencySignificantBits,
  latencySignificantDigits,
  significantBits,
  type SignificantDigits,
} from './hdr-buckets.js';
export { type BucketCount, HdrCounts, hdrPercentiles } from './hdr-counts.js';
export { decodeHistogram, encodeBucketCounts, encodeHistogram } from './histogram.js';
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
