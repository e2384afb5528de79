/**
 * The run model every later stage reads: a run, its cases and their sample summaries (types.ts), how samples
 * become a summary, and the formatting of durations and intervals that bench, compare and monitor share.
 */
export { describeMedianInterval, formatNs, formatPrecision, tooFewSamples } from './format.js';
export { summarize, summarizeSorted } from './summarize.js';
export type { CaseBlock, CaseKey, CaseParameters, CaseResult, CompletedCase, EnvironmentFingerprint, GitState, RunListing, RunRecord, RunStatus, SampleSummary, StopReason } from './types.js';
