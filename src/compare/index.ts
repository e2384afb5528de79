/** Comparing runs: the sound statistics, the verdicts, and their text, Markdown and GitHub forms. */
export { caseIdentity } from './case-identity.js';
export { compareRuns, defaultComparisonSettings } from './compare-runs.js';
export type { ComparisonCells } from './format/cells.js';
export { caseLabels, caseMeasures, type ComparisonFormat, comparisonFormats, formatMarkdown, formatText, verdictDetail } from './format/index.js';
export { reportToGithub } from './github.js';
export { referenceOf, resolveComparisonPair, type ResolvedRun, resolveRun, storedRunId, type StoreProvider } from './resolve-runs.js';
export { type ComparisonSettingsInput, type Proportion, resolveComparisonSettings } from './settings.js';
export { compareSamples, type CompareSamplesSettings } from './statistics/index.js';
export type { CaseComparison, ComparisonSettings, EnvironmentDifference, RankTest, RatioInterval, RunComparison, RunReference, SampleComparison, Verdict } from './types.js';
