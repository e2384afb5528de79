/**
 * The typed query API over the analytics database, for reports, the dashboard and library users. Each
 * question is one module; every value from the caller is a bound parameter.
 */
export { type QueryFilter } from './query-filter.js';
export { type BucketSize } from './time-bucket.js';
export { algorithmShare, type AlgorithmShare, type AlgorithmShareRow } from './algorithm-share.js';
export { featureAdoption, type FeatureAdoption, type FeatureAdoptionRow, type FeatureKind } from './feature-adoption.js';
export {
  sessionDurations,
  type DurationSummary,
  type SessionDuration,
  type SessionDurationOptions,
  type SessionDurations,
} from './session-durations.js';
export { flowEnd, flows, flowStart, type FlowTransition } from './command-flows.js';
export { latencyOverTime, type LatencyBucket, type LatencyOptions } from './latency-over-time.js';
export { successRate, type SuccessCounts, type SuccessRate, type SuccessRateOptions } from './success-rate.js';
export { errorFrequency, type ErrorFrequency } from './error-frequency.js';
export { resolutionRate, type ResolutionRate } from './resolution-rate.js';
