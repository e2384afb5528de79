/**
 * The shapes a benchmark run is made of, shared by the runner (src/bench), the run store (src/store), the
 * reporters and the CLI. Results are tagged unions: a case says its state and carries statistics only where
 * they exist.
 */
import type { Counters, TimerOverhead } from '../core/index.js';

/** What identifies a case across runs: comparisons match on all four. */
export interface CaseKey {
  suite: string;
  case: string;
  /** e.g. "keyscope-native", "keyscope", "node:crypto", "node:crypto-async", "webcrypto" */
  implementation: string;
  /** keyscope algorithm id, or "" for cases that are not about one algorithm */
  algorithm: string;
}

/** Free-form scalar parameters of a case (e.g. { threads: 2 }). */
export type CaseParameters = Record<string, string | number | boolean>;

/** Descriptive statistics of one sample series. */
export interface SampleSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  stddev: number;
  median: number;
  p90: number;
  p99: number;
  p999: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  /** Tukey fences at 1.5 IQR: how many samples fall below / above. */
  outliers: { low: number; high: number };
  /** Distribution-free confidence interval of the median (order statistics). */
  medianInterval: { confidence: number; low: number; high: number };
}

export type StopReason = 'precision' | 'budget' | 'iterations';

export interface CaseSamples {
  /** Wall nanoseconds per operation. */
  ns: Float64Array;
  /** Cycle-counter ticks per operation, where a cycle counter exists and the case measures natively. */
  cycles: Float64Array | null;
  /** RSA: prime candidates per key (native cases). */
  candidates: Float64Array | null;
}

/**
 * One stretch of a case's sampling. A run measures each case in several blocks spread across the run (a round
 * of every case, then the next round), on alternating CPUs when it may use several: the spread between blocks
 * is the noise between runs that one block's samples cannot show.
 */
export interface CaseBlock {
  /** How many of the case's samples, in order, this block took. */
  samples: number;
  /** The CPU the block ran on (pinned), or null when it was not pinned to one (throughput blocks use them all). */
  cpu: number | null;
}

export interface CompletedCase {
  state: 'completed';
  key: CaseKey;
  parameters: CaseParameters;
  samples: CaseSamples;
  /**
   * The blocks the samples came from, in order; their sample counts add up to samples.ns.length. A run stored
   * before blocks existed has one block of every sample, on the CPU the run was pinned to.
   */
  blocks: CaseBlock[];
  summary: {
    ns: SampleSummary;
    cycles: SampleSummary | null;
    /** RSA: nanoseconds per prime candidate, far steadier than nanoseconds per key. */
    nsPerCandidate: SampleSummary | null;
  };
  /** HDR histograms (hdr-histogram-js, 3 significant digits), base64-encoded compressed. */
  histograms: { ns: string; cycles: string | null };
  precision: {
    /** Relative half-width of the median's 99% interval the case aimed for (e.g. 0.01). */
    target: number;
    /** What it reached. */
    reached: number;
    stoppedBy: StopReason;
  };
  /** Operations per second over the measured time (for throughput cases: all threads together). */
  throughput: number;
  counters: Counters;
  timer: TimerOverhead;
}

export interface ErroredCase {
  state: 'errored';
  key: CaseKey;
  parameters: CaseParameters;
  error: { code: string; message: string };
}

export interface SkippedCase {
  state: 'skipped';
  key: CaseKey;
  parameters: CaseParameters;
  reason: string;
}

export type CaseResult = CompletedCase | ErroredCase | SkippedCase;

export interface GitState {
  commit: string;
  branch: string | null;
  dirty: boolean;
}

/** Where a run was measured. Two runs compare cleanly only when these agree. */
export interface EnvironmentFingerprint {
  cpuModel: string;
  cpuFlags: string[];
  cores: number;
  /** cpufreq governor and boost state, where readable. */
  governor: string | null;
  boost: boolean | null;
  kernel: string;
  platform: string;
  arch: string;
  node: string;
  openssl: string;
  keyscope: string;
  addonBuild: 'release' | 'debug' | 'sanitizer' | 'prebuild';
  /** Which counters answered with values (the rest were unavailable). */
  countersAvailable: string[];
  cycleCounter: string | null;
  /** CPU the run was pinned to, if any (blocks may alternate CPUs: see CaseBlock.cpu). */
  pinnedCpu: number | null;
  /**
   * The fraction by which the run was slowed on purpose (KEYSCOPE_BENCH_HANDICAP, for measuring a gate's
   * power), or null for an honest run. Part of the fingerprint so that no handicapped run passes for a real one.
   */
  handicap: number | null;
}

export type RunStatus = 'complete' | 'aborted';

export interface RunRecord {
  /** UUID. */
  id: string;
  startedAt: string; // ISO 8601
  endedAt: string; // ISO 8601
  label: string | null;
  status: RunStatus;
  git: GitState | null;
  /**
   * Where the run's numbers are comparable (model/testbed.ts): named by whoever ran it, or derived from the
   * environment. History and named baselines are kept per testbed.
   */
  testbed: string;
  environment: EnvironmentFingerprint;
  cases: CaseResult[];
}

/** A case as a run's history needs it: what it is, how it ended, and its summaries (no samples). */
export interface CaseOverview {
  state: CaseResult['state'];
  key: CaseKey;
  parameters: CaseParameters;
  /** Completed cases only; null otherwise. */
  summary: CompletedCase['summary'] | null;
  /**
   * Completed cases only (else empty): each block's median time per operation (ns) and its CPU, in sampling
   * order; blocks without samples are left out. What a run's location is computed from (compare's blocks).
   */
  blockMedians: BlockMedian[];
}

export interface BlockMedian {
  median: number;
  /** RSA: the block's median ns per prime candidate; null elsewhere. */
  medianPerCandidate: number | null;
  cpu: number | null;
}

/** A run without its samples: what a history of many runs reads of each (store.findRunOverviews). */
export interface RunOverview extends Omit<RunRecord, 'cases'> {
  cases: CaseOverview[];
}

/** A run without its cases, as `runs list` shows it. */
export interface RunListing {
  id: string;
  startedAt: string;
  endedAt: string;
  label: string | null;
  status: RunStatus;
  commit: string | null;
  branch: string | null;
  testbed: string;
  cases: number;
  samples: number;
}
