/**
 * Judging one run against the history of its baseline branch, as Bencher's and Conbench's thresholds do. Each
 * past run of the branch (on the same testbed) gives one number per case, the log of its location (its typical
 * block time, run-location.ts); the candidate's is judged by Student's t prediction interval of those numbers: where a new run of
 * unchanged code would fall, at the confidence asked. The interval's half-width is the threshold the history
 * taught; the comparison's own threshold is the smallest change that may gate, whatever the history says.
 *
 * Why a mean and standard deviation here, where blocks use trimmed ones (block-interval.ts): a slow stretch of
 * the VM can make a whole run slower, and a candidate can be that run. The history holds such runs at the rate
 * they happen, so their full spread, not a trimmed one, is what a new run of unchanged code must be judged by.
 */
import { studentTCdf, studentTQuantile } from '../../stats/index.js';
import type { HistoryJudgement, RatioInterval, SampleComparison, Verdict } from '../types.js';

/** Fewer past runs than this, and a history teaches no threshold worth the name (t with 3 degrees of freedom). */
export const minimumHistory = 5;

export interface HistorySettings {
  /** The smallest change that may gate, whatever the history says (a fraction). */
  threshold: number;
  /** Two-sided confidence of the prediction interval. */
  confidence: number;
}

function meanAndDeviation(values: readonly number[]): { mean: number; deviation: number } {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  return { mean, deviation: Math.sqrt(squares / (values.length - 1)) };
}

/** What a history says on its own: its typical log location, their spread, and how far a new run may stray. */
export interface HistoryLimit {
  /** Mean of the past runs' log locations. */
  mean: number;
  /** Their standard deviation. */
  deviation: number;
  /** The prediction interval's half-width (log scale) at the confidence asked. */
  halfWidth: number;
  degreesOfFreedom: number;
  /** The standard deviation of a new run's difference from the mean: s·sqrt(1 + 1/n). */
  scale: number;
}

/** `history`: the case's location (ns) in each past run (any order), at least minimumHistory finite positive times. */
export function historyLimit(history: readonly number[], confidence: number): HistoryLimit {
  if (history.length < minimumHistory) throw new RangeError(`historyLimit: needs ${minimumHistory} past runs, got ${history.length}`);
  if (!history.every((v) => Number.isFinite(v) && v > 0)) throw new RangeError('historyLimit: times must be finite and positive');
  const { mean, deviation } = meanAndDeviation(history.map((v) => Math.log(v)));
  const degreesOfFreedom = history.length - 1;
  // A new value's deviation from the mean of n others has variance s²(1 + 1/n).
  const scale = deviation * Math.sqrt(1 + 1 / history.length);
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom) * scale;
  return { mean, deviation, halfWidth, degreesOfFreedom, scale };
}

/** Judges the candidate's location against the history's (see historyLimit). */
export function judgeAgainstHistory(history: readonly number[], candidate: number, settings: HistorySettings): SampleComparison {
  if (!(Number.isFinite(candidate) && candidate > 0)) throw new RangeError('judgeAgainstHistory: times must be finite and positive');
  const { mean, deviation, halfWidth, degreesOfFreedom, scale } = historyLimit(history, settings.confidence);
  const runs = history.length;
  const change = Math.log(candidate) - mean;

  const floorUp = Math.log1p(settings.threshold);
  const floorDown = -Math.log1p(-settings.threshold);
  const verdict: Verdict = change > Math.max(halfWidth, floorUp) ? 'regressed' : -change > Math.max(halfWidth, floorDown) ? 'improved' : 'unchanged';
  const learned = halfWidth > floorUp;
  const judgement: HistoryJudgement = {
    runs,
    mean: Math.exp(mean),
    spread: deviation,
    learnedThreshold: Math.expm1(halfWidth),
    threshold: learned ? Math.expm1(halfWidth) : settings.threshold,
    thresholdSource: learned ? 'history' : 'setting',
  };
  const t = scale > 0 ? change / scale : change === 0 ? 0 : Math.sign(change) * Infinity;
  const ratio: RatioInterval = { estimate: Math.exp(change), low: Math.exp(change - halfWidth), high: Math.exp(change + halfWidth), confidence: settings.confidence };
  return {
    method: 'history',
    ratio,
    test: { name: 't', statistic: t, z: t, pValue: Number.isFinite(t) ? 2 * (1 - studentTCdf(Math.abs(t), degreesOfFreedom)) : 0 },
    tails: { p90: null, p99: null },
    verdict,
    samplesToResolve: null,
    blocks: null,
    history: judgement,
    unstable: false,
    baselineCount: runs,
    candidateCount: 1,
  };
}
