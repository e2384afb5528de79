/** Comparing runs: the sound statistics, the verdicts, and their text, Markdown and GitHub forms. */
export { caseIdentity } from '../model/index.js';
export { compareRuns, countVerdicts, defaultComparisonSettings } from './compare-runs.js';
export { type BranchHistory, compareWithHistory } from './compare-history.js';
export { type CaseHistory, caseHistories, type HistoryPoint } from './case-history.js';
export type { ComparisonCells } from './format/cells.js';
export { caseLabels, caseMeasures, type ComparisonFormat, comparisonFormats, formatMarkdown, formatText, verdictDetail } from './format/index.js';
export { reportNotJudgedToGithub, reportToGithub } from './github.js';
export { type BaselineScope, defaultLookback, resolveBranchHistory, resolveNamedBaseline, type ResolvedHistory, type RunHistorySource } from './resolve-history.js';
export { referenceOf, resolveCandidate, resolveComparisonPair, type ResolvedRun, resolveRun, storedRunId, type StoreProvider } from './resolve-runs.js';
export { type ComparisonSettingsInput, type Proportion, resolveComparisonSettings } from './settings.js';
export { compareSamples, type CompareSamplesSettings, minimumHistory } from './statistics/index.js';
export type { CaseComparison, ComparisonSettings, EnvironmentDifference, HistoryJudgement, JudgedAgainst, RankTest, RatioInterval, RunComparison, RunReference, RuntimeComparison, RuntimeSide, SampleComparison, SearchExplanation, SearchSide, Verdict } from './types.js';
export { runtimeFields } from './environment-diff.js';
export { searchLines } from './format/search-reading.js';
export { environmentLines } from './format/environment-lines.js';
export { type CaseChange, type CaseChanges, caseChanges, type ChangeMeasure, changeSeries, seriesChanges } from './case-changes.js';
export type { ChangePointSettings } from './statistics/index.js';
export { type CaseLocation, caseLocation, overviewLocation } from './run-location.js';
