/**
 * Robust statistics for the anomaly detectors: pure functions over plain arrays, no database.
 *
 * A latency or rate series has outliers of its own (a GC pause, a batch job): the median and the median
 * absolute deviation (MAD) ignore up to half the points being wild, where a mean and standard deviation are
 * dragged by one. MAD is scaled by 1.4826 so that on normal data it estimates the standard deviation, which
 * makes a robust z-score of 4 mean roughly what "4 sigma" means.
 *
 * A series can be perfectly flat (every bucket the same count): MAD = 0, and any change would be an infinite
 * z-score. Every score therefore divides by max(scale, minScale), where the caller's minScale says how small
 * a difference is still noise for that series (see anomaly-detection.ts).
 */

/** 1 / Φ⁻¹(3/4): MAD × this estimates σ for normally distributed data. */
export const madScale = 1.4826;
/** √(π/2): the mean absolute deviation × this estimates σ for normally distributed data. */
export const meanAbsoluteDeviationScale = Math.sqrt(Math.PI / 2);

/** The median (mean of the middle two for an even count); NaN for an empty series. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median absolute deviation from the median, scaled by 1.4826 (a robust σ); NaN for an empty series. */
export function scaledMad(values: readonly number[]): number {
  const center = median(values);
  return madScale * median(values.map((value) => Math.abs(value - center)));
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
  const mad = scaledMad(history);
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
