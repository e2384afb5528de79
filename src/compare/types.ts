/**
 * The shapes of a comparison between two benchmark runs, shared by the statistics (src/compare/statistics),
 * the case matching (compare-runs.ts), the formatters, the HTML report and the CLI.
 *
 * Every ratio is candidate / baseline of a time: above 1 is slower, below 1 is faster.
 */
import type { CaseKey, CaseParameters, EnvironmentFingerprint, RunStatus } from '../model/index.js';

export type Verdict = 'improved' | 'regressed' | 'unchanged' | 'inconclusive';

/** A ratio with its confidence interval. */
export interface RatioInterval {
  estimate: number;
  low: number;
  high: number;
  confidence: number;
}

/** The rank test that goes with the interval: Mann-Whitney U for independent runs, the sign test for paired ones. */
export interface RankTest {
  name: 'mann-whitney' | 'sign';
  /** U for Mann-Whitney; the number of pairs where the candidate was slower for the sign test. */
  statistic: number;
  /** Standardised statistic (positive: candidate slower). */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
}

export interface ComparisonSettings {
  /** Relative change that matters, e.g. 0.05: slower by more than 5% is a regression. */
  threshold: number;
  /** Confidence of every interval, e.g. 0.99. */
  confidence: number;
}

/** What one pair of sample series says. */
export interface SampleComparison {
  /**
   * hodges-lehmann: independent samples, the Hodges-Lehmann shift of log times (a ratio of typical values)
   * with its Mann-Whitney interval. paired: seeded runs where sample i of both runs made the same key, the
   * median of per-key log ratios with its sign-test interval.
   */
  method: 'hodges-lehmann' | 'paired';
  ratio: RatioInterval;
  test: RankTest;
  /** Ratios of the p90 and p99 with distribution-free intervals; null where there are too few samples. */
  tails: { p90: RatioInterval | null; p99: RatioInterval | null };
  verdict: Verdict;
  /** Inconclusive only: samples per side that would likely resolve the verdict at this spread; null otherwise. */
  samplesToResolve: number | null;
  baselineCount: number;
  candidateCount: number;
}

/** One side of a compared case, for display. */
export interface CaseSide {
  median: number;
  count: number;
  /** RSA: median ns per prime candidate. */
  medianPerCandidate: number | null;
}

export type CaseComparison =
  | {
      state: 'compared';
      key: CaseKey;
      /** The case's parameters (the candidate's; they match the baseline's but for a seed). */
      parameters: CaseParameters;
      baseline: CaseSide;
      candidate: CaseSide;
      /** Time per operation (wall ns). */
      time: SampleComparison;
      /** RSA: time per prime candidate (steadier than time per key); null elsewhere. */
      perCandidate: SampleComparison | null;
      verdict: Verdict;
      /** Which comparison the verdict came from. */
      decidedBy: 'time' | 'per-candidate' | 'both';
      /** Seeded cases whose seeds differ, or other notes on how the case was compared. */
      notes: string[];
    }
  | {
      /** In one run only, or not completed in one of them (errored, skipped). */
      state: 'unmatched';
      key: CaseKey;
      parameters: CaseParameters;
      reason: string;
    };

export interface EnvironmentDifference {
  field: keyof EnvironmentFingerprint | 'git';
  baseline: string;
  candidate: string;
  /** True for differences that make timings incomparable (CPU, Node, OpenSSL, addon build). */
  significant: boolean;
}

/** Which run took which side. */
export interface RunReference {
  id: string;
  label: string | null;
  startedAt: string;
  status: RunStatus;
  commit: string | null;
  branch: string | null;
  dirty: boolean;
  /** Where the run came from: "store" or the path of an exported file. */
  source: string;
}

export interface RunComparison {
  baseline: RunReference;
  candidate: RunReference;
  settings: ComparisonSettings;
  cases: CaseComparison[];
  environment: { differences: EnvironmentDifference[]; sameMachine: boolean };
  counts: Record<Verdict, number> & { unmatched: number };
}
