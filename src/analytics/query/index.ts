/**
 * The typed query API over the analytics database, for reports, the dashboard and library users. Each
 * question is one module; every value from the caller is a bound parameter.
 */
export { algorithmShare, type AlgorithmShare, type AlgorithmShareRow } from './algorithm-share.js';
export { flowEnd, flows, flowStart, type FlowTransition } from './command-flows.js';
export { errorFrequency, type ErrorFrequency } from './error-frequency.js';
export { type ErrorGroup, type ErrorGroupDetail, type ErrorGroupStatus, errorGroupStatuses, getErrorGroup, listErrorGroups, resolveErrorGroup } from './error-groups.js';
export { featureAdoption, type FeatureAdoption, type FeatureAdoptionRow, type FeatureKind } from './feature-adoption.js';
export { keygenLatency } from './keygen-latency.js';
export { type LatencyBucket, type LatencyOptions, latencyOverTime } from './latency-over-time.js';
export { filterConditions, type QueryFilter } from './query-filter.js';
export { resolutionRate, type ResolutionRate } from './resolution-rate.js';
export { rollupSource } from './rollup-source.js';
export { type DurationSummary, type SessionDuration, type SessionDurationOptions, sessionDurations, type SessionDurations } from './session-durations.js';
export { type SuccessCounts, successRate, type SuccessRate, type SuccessRateOptions } from './success-rate.js';
export { type BucketSize, bucketStartMs, rawPeriod } from './time-bucket.js';
export { spoolBacklogFiles } from './spool-backlog.js';
// The vocabulary for writing a query of one's own over the rollups (monitor's rules and metrics do): bound
// parameters, the rollup tables, and the condition that leaves outcomes out of error counts.
export { eventCountsRollup, failureCodeCondition, latencyDailyRollup, latencyHourlyRollup, QueryParameters } from '../warehouse/index.js';
