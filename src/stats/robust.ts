/**
 * Robust statistics: the median absolute deviation (MAD), the robust z-score and an EWMA baseline, pure
 * functions over plain arrays.
 *
 * A latency or rate series has outliers of its own (a GC pause, a batch job): the median and the MAD ignore up
 * to half the points being wild, where a mean and standard deviation are dragged by one. MAD is scaled by
 * 1.4826 so that on normal data it estimates the standard deviation, which makes a robust z-score of 4 mean
 * roughly what "4 sigma" means.
 *
 * A series can be perfectly flat (every point the same): MAD = 0, and any change would be an infinite z-score.
 * Every score therefore divides by max(scale, minScale), where the caller's minScale says how small a
 * difference is still noise for that series.
 */
import { median, quantileSorted } from './quantile.js';

/** 1 / Φ⁻¹(3/4): MAD × this estimates σ for normally distributed data. */
export const madScale = 1.4826;
/** √(π/2): the mean absolute deviation × this estimates σ for normally distributed data. */
export const meanAbsoluteDeviationScale = Math.sqrt(Math.PI / 2);

/** The median of |value - center| (unscaled); `center` defaults to the values' median. NaN for no values. */
export function medianAbsoluteDeviation(values: ArrayLike<number>, center = median(values)): number {
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs(values[i]! - center);
  return quantileSorted(deviations.sort(), 0.5);
}

/** The median absolute deviation scaled by 1.4826 (a robust σ); NaN for no values. */
export function scaledMad(values: ArrayLike<number>): number {
  return madScale * medianAbsoluteDeviation(values);
}

export interface RobustScore {
  /** (value - median) / max(scaled MAD, minScale). */
  score: number;
  median: number;
  /** The scaled MAD of the history (may be 0). */
  mad: number;
  /** What the score divided by: max(mad, minScale). */
  scale: number;
}

/** `value` scored against `history`: how many robust σ it lies above (positive) or below the median. */
export function robustZScore(value: number, history: readonly number[], minScale: number): RobustScore {
  if (history.length === 0) throw new RangeError('robustZScore needs a history');
  if (!(minScale > 0)) throw new RangeError(`minScale must be > 0 (got ${minScale})`);
  const center = median(history);
  const mad = madScale * medianAbsoluteDeviation(history, center);
  const scale = Math.max(mad, minScale);
  return { score: (value - center) / scale, median: center, mad, scale };
}

export interface EwmaState {
  /** The exponentially weighted mean. */
  mean: number;
  /** The exponentially weighted mean absolute deviation from the running mean. */
  deviation: number;
}

/**
 * Runs the EWMA over `history` in order: mean ← α·x + (1-α)·mean, deviation ← α·|x - mean_before| +
 * (1-α)·deviation. The first point starts the mean with a deviation of 0. Recent points weigh more, so a
 * series that drifted slowly has a baseline that drifted with it, unlike the median of the whole history.
 */
export function ewma(history: readonly number[], alpha: number): EwmaState {
  if (history.length === 0) throw new RangeError('ewma needs a history');
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1] (got ${alpha})`);
  let mean = history[0]!;
  let deviation = 0;
  for (let i = 1; i < history.length; i++) {
    const x = history[i]!;
    deviation = alpha * Math.abs(x - mean) + (1 - alpha) * deviation;
    mean = alpha * x + (1 - alpha) * mean;
  }
  return { mean, deviation };
}

export interface EwmaScore extends EwmaState {
  /** (value - mean) / max(√(π/2) × deviation, minScale): the deviation in σ-equivalents, like the robust z. */
  score: number;
  scale: number;
}

/** `value` scored against the EWMA of `history` (which must not include `value`). */
export function ewmaScore(value: number, history: readonly number[], alpha: number, minScale: number): EwmaScore {
  if (!(minScale > 0)) throw new RangeError(`minScale must be > 0 (got ${minScale})`);
  const state = ewma(history, alpha);
  const scale = Math.max(meanAbsoluteDeviationScale * state.deviation, minScale);
  return { ...state, score: (value - state.mean) / scale, scale };
}
