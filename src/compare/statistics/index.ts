/** The statistics of comparing two sample series: compareSamples and the pieces it is built from. */
export { compareSamples, type CompareSamplesSettings } from './compare-samples.js';
export { decideVerdict, samplesToResolve } from './verdict.js';
export { historyLimit, judgeAgainstHistory, minimumHistory } from './history-limit.js';
export { compareBlockPairs, compareSeededBlockPairs, type KeyPairs, pairingProblem, seededKeyPairs } from './block-pairs.js';
export { blockLocations, type Located, sideLocation } from './block-interval.js';
export { extremeLogShiftInterval, logShiftInterval } from './log-shift-interval.js';
export { mannWhitney } from './mann-whitney.js';
export { arrangements, mannWhitneyFrequencies, shiftIntervalRank } from './mann-whitney-distribution.js';
export { PairDifferences } from './pair-differences.js';
export { pairedInterval, type PairedComparison } from './paired-interval.js';
export { signTest } from './sign-test.js';
export { tailRatio } from './tail-ratio.js';
export { type ChangePoint, type ChangePointSettings, findChangePoints } from './change-points.js';
export { type DecompositionSettings, decomposeSearch, minimumBlocksToResample, type SearchDecomposition, type SearchSample } from './search-decomposition.js';
