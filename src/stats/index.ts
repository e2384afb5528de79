/** TODO door of src/stats */
export { decodeHistogram, encodeHistogram } from './histogram.js';
export { medianInterval, medianRankInterval, normalQuantile, relativePrecision, samplesForMedianInterval } from './median-interval.js';
export { median, quantileSorted, sortedCopy } from './quantile.js';
