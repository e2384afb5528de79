/**
 * The run model every later stage reads: a run, its cases and their sample summaries (types.ts), how samples
 * become a summary, and the formatting of durations and intervals that bench, compare and monitor share.
 */
export { describeMedianInterval, formatNs, formatPrecision, tooFewSamples } from './format.js';
export { summarize, summarizeSorted } from './summarize.js';
export { caseIdentity } from './case-identity.js';
export { derivedTestbed, testbedPattern } from './testbed.js';
export type { BlockMedian, CaseBlock, CaseKey, CaseOverview, CaseParameters, CaseResult, CompletedCase, EnvironmentFingerprint, GitState, RunListing, RunOverview, RunRecord, RunStatus, SampleSummary, StopReason } from './types.js';
