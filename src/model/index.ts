/** TODO door of src/model */
export { describeMedianInterval, formatNs, formatPrecision, tooFewSamples } from './format.js';
export { summarize, summarizeSorted } from './summarize.js';
export type { CaseKey, CaseParameters, CaseResult, CompletedCase, EnvironmentFingerprint, GitState, RunListing, RunRecord, RunStatus, SampleSummary, StopReason } from './types.js';
