/**
 * The view model of an HTML report: everything the page shows, computed once (report-model.ts) so the page's
 * script only lays it out. It is plain JSON, every number finite or null, and compact: no raw samples, only
 * percentile curves and binned histograms read from each case's HDR histogram, and medians with their
 * intervals for the history.
 */
import type { CaseKey, CaseParameters, EnvironmentFingerprint, GitState, RunRecord, RunStatus, StopReason } from '../model/index.js';
import type { ComparisonCells, ComparisonSettings, EnvironmentDifference, RunComparison, RunReference, RuntimeComparison, SampleComparison, SearchExplanation, Verdict } from '../compare/index.js';
import type { CounterGroup, CounterName } from '../core/index.js';

export interface ReportInput {
  /** The runs reported, 1..n; with a comparison the first is its baseline. */
  runs: readonly RunRecord[];
  comparison: RunComparison | null;
  /** The last runs of the same label or branch, oldest first; may include the reported runs. */
  history: readonly RunRecord[];
  /** ISO 8601. */
  generatedAt: string;
  /** The page title; by default it names the reported runs. */
  title?: string;
}

/** 4: comparisons say the runtimes compared (across runtimes) and each RSA case's search explanation. */
export const REPORT_MODEL_VERSION = 4;

/** Summary statistics with every non-finite number (a one-sample interval, say) as null. */
export interface ReportSummary {
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  stddev: number | null;
  median: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  mad: number | null;
  /** The median's confidence interval. */
  low: number | null;
  high: number | null;
  confidence: number;
}

export type ReportCounter = { name: CounterName; group: CounterGroup; unit: 'count' | 'ns' | 'bytes' } & (
  | { available: true; value: number; scaled: boolean }
  | { available: false; reason: string }
);

export interface ReportCompletedResult {
  state: 'completed';
  ns: ReportSummary;
  cycles: ReportSummary | null;
  /** RSA: nanoseconds per prime candidate. */
  perCandidate: ReportSummary | null;
  precision: { target: number; reached: number | null; stoppedBy: StopReason };
  throughput: number | null;
  timer: { ns: number | null; cycles: number | null; samples: number };
  counters: ReportCounter[];
  /** Latency (ns) at each of the model's `percentiles`; null past what the samples can tell, or all null. */
  percentiles: (number | null)[] | null;
  /** Fraction of the samples in each of the case's histogram bins. */
  histogram: number[] | null;
  /** Fraction of the samples above the last bin edge (the far tail, which the percentile curve shows). */
  histogramAbove: number | null;
  /** Why the distribution is missing, when it is. */
  distributionProblem: string | null;
}

export type ReportCaseResult =
  | ReportCompletedResult
  | { state: 'errored'; code: string; message: string }
  | { state: 'skipped'; reason: string }
  /** The case is not in this run. */
  | { state: 'absent' };

export interface ReportRun {
  id: string;
  /** The name of the run's series in every chart: its label, or its id when labels repeat or are missing. */
  name: string;
  label: string | null;
  startedAt: string;
  endedAt: string;
  status: RunStatus;
  git: GitState | null;
  environment: EnvironmentFingerprint;
  counts: { completed: number; errored: number; skipped: number };
}

/** One fingerprint field across the reported runs. */
export interface ReportEnvironmentRow {
  field: keyof EnvironmentFingerprint;
  values: string[];
  differs: boolean;
}

export interface ReportHistoryRun extends RunReference {
  /** Index into the model's runs when this history run is also reported. */
  reported: number | null;
}

/** A series of medians with their intervals, one entry per history run (null where the case has none). */
export interface ReportMedianSeries {
  median: (number | null)[];
  low: (number | null)[];
  high: (number | null)[];
}

/** Where the case's history moved (keyscope changes: E-Divisive means on the runs' locations). */
export interface ReportChange {
  /** Index into the history of the first run after the change. */
  index: number;
  /** Typical time after / before - 1 (positive: slower). */
  step: number;
  pValue: number;
  /** Which series moved: time per key, or (RSA) time per prime candidate. */
  measure: 'time' | 'per-candidate';
}

export interface ReportCaseHistory {
  ns: ReportMedianSeries;
  /**
   * Each run's location (ns, null where the case has none): the typical block time on the run's fastest CPU
   * that compare and change points judge by, steadier than the median when a vCPU was slow for part of a run.
   */
  location: (number | null)[];
  /** RSA: the same per prime candidate. */
  locationPerCandidate: (number | null)[] | null;
  /** RSA cases: the same for nanoseconds per prime candidate. */
  perCandidate: ReportMedianSeries | null;
  /** What the case was in each history run. */
  states: ('completed' | 'errored' | 'skipped' | 'absent')[];
  /** Change points of the history, oldest first; empty when it has none (or too few runs to find one). */
  changes: ReportChange[];
}

export interface ReportCase {
  /** Stable within one report: the DOM id of the case's section. */
  id: string;
  key: CaseKey;
  parameters: CaseParameters;
  /** One per reported run, in the model's run order. */
  results: ReportCaseResult[];
  /** Bin edges (ns) of the case's histograms, shared by its runs; null when no run has a distribution. */
  histogramEdges: number[] | null;
  history: ReportCaseHistory;
  /** Index into the comparison's cases, when the comparison has this case. */
  comparison: number | null;
}

export interface ReportRatio {
  estimate: number | null;
  low: number | null;
  high: number | null;
  confidence: number;
}

export interface ReportSampleComparison {
  method: SampleComparison['method'];
  ratio: ReportRatio;
  test: { name: SampleComparison['test']['name']; statistic: number | null; z: number | null; pValue: number | null };
  tails: { p90: ReportRatio | null; p99: ReportRatio | null };
  verdict: Verdict;
  samplesToResolve: number | null;
  baselineCount: number;
  candidateCount: number;
}

export type ReportCaseComparison =
  | {
      state: 'compared';
      key: CaseKey;
      /** The report case this row belongs to. */
      caseId: string | null;
      baseline: { median: number | null; count: number; medianPerCandidate: number | null };
      candidate: { median: number | null; count: number; medianPerCandidate: number | null };
      time: ReportSampleComparison;
      perCandidate: ReportSampleComparison | null;
      verdict: Verdict;
      decidedBy: 'time' | 'per-candidate' | 'both';
      notes: string[];
      /** The row as compare prints it (src/compare/format/cells.ts): unique name, each measure's figures as text, the one the verdict rests on first. */
      label: string;
      measures: ReportMeasureText[];
      detail: string;
      /** RSA: where the change of mean time per key came from (compare's SearchExplanation); null elsewhere. */
      search: ReportSearchExplanation | null;
    }
  | { state: 'unmatched'; key: CaseKey; caseId: string | null; reason: string; label: string };

/** An RSA case's search explanation: its three ratios, which factor moved, and the line compare prints. */
export interface ReportSearchExplanation {
  perKey: ReportRatio;
  candidatesPerKey: ReportRatio;
  perCandidate: ReportRatio;
  keys: SearchExplanation['keys'];
  searchChanged: boolean;
  cause: SearchExplanation['cause'];
  reading: string;
}

/** One measure of a compared case, formatted once in TypeScript so the page prints no made-up bound. */
export interface ReportMeasureText extends ComparisonCells {
  name: string;
  decisive: boolean;
}

export interface ReportComparison {
  baseline: RunReference;
  candidate: RunReference;
  /** Indexes into the model's runs of the two sides, where they are reported. */
  baselineRun: number | null;
  candidateRun: number | null;
  settings: ComparisonSettings;
  /** Each case's confidence (the run's, shared among its cases). */
  caseConfidence: number;
  cases: ReportCaseComparison[];
  environment: { differences: EnvironmentDifference[]; sameMachine: boolean };
  /** A comparison across runtimes: the runtimes and their machine, and the line compare prints; null otherwise. */
  runtimes: (RuntimeComparison & { line: string }) | null;
  counts: RunComparison['counts'];
  /** Indexes into the model's groups in the comparison table's order: groups with a regression first (see case-groups.ts). */
  groupOrder: number[];
}

/** A case of a group that the group's folded line names, so that folding hides no change. */
export interface ReportGroupChange {
  /** Index into the comparison's cases. */
  row: number;
  /** Counted as regressed or improved, or unmatched (other than skipped in every run, which is by design). */
  verdict: 'regressed' | 'improved' | 'unmatched';
  /** The change the verdict rests on, as the comparison table prints it (+28%); null for an unmatched case. */
  estimate: string | null;
  /** The case's name within its group: its comparison label without what every case of the group shares. */
  name: string;
  /** Unmatched: why (which side lacks it). */
  reason: string | null;
}

/**
 * Cases that share an algorithm: what the page folds to one line, so that a report's folded height grows with
 * the algorithms of its runs rather than their cases.
 */
export interface ReportCaseGroup {
  /** Stable within one report: the DOM id of the group in the case list. */
  id: string;
  /** The cases' algorithm; '' for cases that name none. */
  algorithm: string;
  /** Indexes into the model's cases, in case order. */
  cases: number[];
  /** Indexes into the comparison's cases, in its order; empty without a comparison. */
  rows: number[];
  /** The group's share of the comparison's counts (they add up to the comparison's); null without a comparison. */
  counts: RunComparison['counts'] | null;
  /** Regressions (biggest slowdown first), then unmatched cases, then improvements (biggest speed-up first). */
  changes: ReportGroupChange[];
  /** Cases errored, or skipped, in any reported run. */
  errored: number;
  skipped: number;
}

export interface ReportModel {
  version: typeof REPORT_MODEL_VERSION;
  title: string;
  generatedAt: string;
  /** The percentiles (0..1) of every case's percentile curve. */
  percentiles: number[];
  runs: ReportRun[];
  environment: ReportEnvironmentRow[];
  comparison: ReportComparison | null;
  history: ReportHistoryRun[];
  cases: ReportCase[];
  /** The cases by algorithm, groups in the order their first cases appear. */
  groups: ReportCaseGroup[];
}
