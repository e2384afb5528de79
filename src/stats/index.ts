/**
 * Statistics: quantiles and robust statistics (median, MAD, robust z-score, EWMA), distribution-free rank
 * intervals with the binomial and normal distributions they rest on, and HDR histograms (the bucket rule in
 * TypeScript and SQL, its precisions, counts, encoding). The bottom room: it imports nothing else from src.
 */
export { median, quantileSorted, sortedCopy } from './quantile.js';
export { seededRandom } from './seeded-random.js';
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
export { erfc, normalCdf, normalQuantile, twoSidedPValue } from './normal.js';
export { binomialPmf, clopperPearson } from './binomial.js';
export { medianInterval, medianRankInterval, quantileInterval, quantileRankInterval, type RankInterval } from './rank-interval.js';
export { relativePrecision, samplesForMedianInterval } from './median-precision.js';
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
export { regularizedBeta, studentTCdf, studentTQuantile } from './student-t.js';
