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

/** How a comparison by blocks used them (statistics/block-interval.ts). */
export interface BlockSide {
  /** Blocks judged on. */
  used: number;
  /** Every block the side has. */
  blocks: number;
  /** The CPU judged on (null: not pinned), or "all" when its CPUs agreed and every block counted. */
  cpu: number | null | 'all';
}

export interface BlockComparison {
  ratio: RatioInterval;
  baseline: BlockSide;
  candidate: BlockSide;
  /**
   * The typical scatter of one block's location about its side's trimmed mean (the Winsorized standard
   * deviations of the two sides, pooled; log scale, so 0.01 is about 1%).
   */
  spread: number;
  degreesOfFreedom: number;
  /**
   * The A/A noise: half the width (log scale) of the 95% interval, how far apart two runs of the same code
   * would come out, 19 times in 20. Wider than the threshold: the case is unstable.
   */
  noise: number;
}

/**
 * How one case's run sat in its branch's history (statistics/history-limit.ts): the past runs' spread, and the
 * threshold that spread teaches next to the one that applied.
 */
export interface HistoryJudgement {
  /** Past runs the case had in the lookback window. */
  runs: number;
  /** Their typical location (the geometric mean of their locations), ns. */
  mean: number;
  /** Standard deviation of their log locations (0.01 is about 1%). */
  spread: number;
  /** Where a run of unchanged code would still fall, at the case's confidence, as a change (0.041: 4.1%). */
  learnedThreshold: number;
  /** The threshold that applied: the learned one, or the comparison's own when that is larger. */
  threshold: number;
  thresholdSource: 'history' | 'setting';
}

/**
 * The test that goes with the interval: Mann-Whitney U for independent runs, the sign test for paired ones,
 * Student's t (the prediction of a new run) for a history.
 */
export interface RankTest {
  name: 'mann-whitney' | 'sign' | 't';
  /** U for Mann-Whitney; the number of pairs where the candidate was slower for the sign test; t for t. */
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
   * with its Mann-Whitney interval (runs of one block: within-run noise only). paired: seeded runs of one block
   * where sample i of both runs made the same key, the median of per-key log ratios with its sign-test interval
   * (within-run noise only). blocks:
   * runs measured in blocks, the difference of mean block locations on each side's faster CPU, with a Student
   * t interval from the spread between blocks (the noise between runs). history: the candidate's location
   * (its typical block time, run-location.ts) against the locations of the baseline branch's past runs, by
   * Student's t prediction interval; the ratio is to their typical location and its interval is where a run of
   * unchanged code would fall. interleaved: two runs of one interleaved session, block i of each measured back
   * to back on one CPU; the trimmed mean of the pairs' differences in log block median, with Yuen's one-sample
   * interval (statistics/block-pairs.ts). seeded-blocks: seeded runs laid out by block, block p of each timed
   * the same keys; d_p = the median of pair p's per-key log ratios, then as interleaved.
   */
  method: 'hodges-lehmann' | 'paired' | 'blocks' | 'history' | 'interleaved' | 'seeded-blocks';
  ratio: RatioInterval;
  test: RankTest;
  /** Ratios of the p90 and p99 with distribution-free intervals; null where there are too few samples. */
  tails: { p90: RatioInterval | null; p99: RatioInterval | null };
  verdict: Verdict;
  /**
   * Inconclusive only: samples per side (method blocks: blocks per side) that would likely resolve the verdict
   * at this spread; null otherwise.
   */
  samplesToResolve: number | null;
  /**
   * Methods blocks, interleaved and seeded-blocks: how the blocks were used (CPU judged on, spread between
   * blocks; paired methods: every pair, the spread of the pairs' differences); null for other methods.
   */
  blocks: BlockComparison | null;
  /** Method history: the history and the threshold it taught; null for other methods. */
  history: HistoryJudgement | null;
  /**
   * Methods blocks, interleaved and seeded-blocks: two runs (sessions) of the same code would differ by more than the threshold (the 95% A/A interval
   * is wider than it), so this measure cannot judge a change of that size. Runs of one block cannot say.
   */
  unstable: boolean;
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
      /**
       * No measure of the case can tell a change as small as the threshold from its noise. Reported with its
       * verdict, but counted as unstable and never gating, unless the comparison is strict.
       */
      unstable: boolean;
      /** Seeded cases whose seeds differ, or other notes on how the case was compared. */
      notes: string[];
      /**
       * RSA cases with prime-candidate counts on both sides: the change of the mean time per key split into mean
       * candidates per key and time per candidate (search-explanation.ts); null for every other case.
       */
      search: SearchExplanation | null;
    }
  | {
      /** In one run only, or not completed in one of them (errored, skipped). */
      state: 'unmatched';
      key: CaseKey;
      parameters: CaseParameters;
      reason: string;
    };

/** One side of an RSA case's search, over the keys the explanation used. */
export interface SearchSide {
  keys: number;
  /** Mean prime candidates per key. */
  meanCandidates: number;
  /** Every key's time over every key's candidates (ns): the pooled time per candidate. */
  nsPerCandidate: number;
  /** Mean time per key (ns): exactly meanCandidates × nsPerCandidate. */
  meanNs: number;
}

/**
 * Why an RSA case's mean time per key changed: mean(ns) = mean(candidates) × (Σ ns / Σ candidates) on each side,
 * so the ratio of mean times per key is exactly the ratio of mean candidates per key times the ratio of pooled
 * times per candidate. Each ratio is candidate / baseline with a bootstrap interval (statistics/search-decomposition.ts).
 */
export interface SearchExplanation {
  /** Mean time per key; its estimate is candidatesPerKey.estimate × perCandidate.estimate. */
  perKey: RatioInterval;
  /** Mean prime candidates per key: the luck of the search, or a different search. */
  candidatesPerKey: RatioInterval;
  /** Pooled time per prime candidate: what each candidate costs. */
  perCandidate: RatioInterval;
  baseline: SearchSide;
  candidate: SearchSide;
  /**
   * independent: each run's own keys. same-search: seeded keys that searched the same candidates in both runs
   * (the keys both runs took, paired), so candidatesPerKey is exactly 1 and the whole change is per candidate.
   */
  keys: 'independent' | 'same-search';
  /** Seeded keys of the same place searched different candidates: the prime search itself changed. */
  searchChanged: boolean;
  /** What was resampled for the intervals: whole blocks (the noise between them included), or keys. */
  resampled: 'blocks' | 'keys';
  /** Which factor moved beyond its interval (an interval that excludes 1). */
  cause: 'per-candidate' | 'candidates' | 'both' | 'neither';
  /** The explanation in one line, without the case's name (format/search-reading.ts). */
  reading: string;
}

/** One side's runtime, as its fingerprint names it. */
export interface RuntimeSide {
  node: string;
  openssl: string;
}

/** compare --across-runtimes: one machine, and the runtimes its two runs used. */
export interface RuntimeComparison {
  baseline: RuntimeSide;
  candidate: RuntimeSide;
  /** False when both runs used the same Node and OpenSSL (a notice says so; the runs are still compared). */
  differ: boolean;
  /** The machine both runs were measured on. */
  machine: { cpuModel: string; cores: number; platform: string; arch: string };
}

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

/**
 * What the candidate was judged against: one baseline run, or the history of a branch on the candidate's testbed
 * (whose newest run is then the `baseline`, for the environment and for cases the history is too short for).
 */
export type JudgedAgainst =
  | { kind: 'run' }
  /** Two runs of one interleaved session (keyscope ab): block i of a case in each was measured back to back. */
  | { kind: 'interleaved'; seed: number; forks: number }
  | {
      kind: 'history';
      branch: string;
      testbed: string;
      /** Past runs in the window (newest first, at most `lookback`), and how far back the window may reach. */
      runs: number;
      lookback: number;
      oldest: { startedAt: string; commit: string | null };
      newest: { startedAt: string; commit: string | null };
    };

export interface RunComparison {
  against: JudgedAgainst;
  /** Said above the table: e.g. that a history asked for was too short, so the per-run model judged. */
  notices: string[];
  baseline: RunReference;
  candidate: RunReference;
  /** settings.confidence is the whole run's. */
  settings: ComparisonSettings;
  /** Each case's confidence: 1 - (1 - settings.confidence) / (cases judged) (Bonferroni). */
  caseConfidence: number;
  /** Unstable cases were counted (and gate) by their verdicts (the CLI's --strict). */
  strict: boolean;
  cases: CaseComparison[];
  environment: { differences: EnvironmentDifference[]; sameMachine: boolean };
  /** Asked to compare runtimes on one machine (compareRuns' acrossRuntimes, compare --across-runtimes); else null. */
  runtimes: RuntimeComparison | null;
  /**
   * Each case counted once: an unstable case (not strict) as unstable, whatever its verdict; others by verdict.
   * `regressed` is what gates.
   */
  counts: Record<Verdict, number> & { unstable: number; unmatched: number };
}
