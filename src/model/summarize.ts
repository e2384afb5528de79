/** Descriptive statistics of one sample series, as every case result carries them. */
import type { SampleSummary } from './types.js';
import { medianAbsoluteDeviation, medianInterval, quantileSorted, sortedCopy } from '../stats/index.js';

export const DEFAULT_CONFIDENCE = 0.99;

export function summarizeSorted(sorted: Float64Array, confidence = DEFAULT_CONFIDENCE): SampleSummary {
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (sorted[i]! - mean) ** 2;
  const median = quantileSorted(sorted, 0.5);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const fenceLow = q1 - 1.5 * (q3 - q1);
  const fenceHigh = q3 + 1.5 * (q3 - q1);
  let low = 0;
  let high = 0;
  for (let i = 0; i < n; i++) {
    if (sorted[i]! < fenceLow) low++;
    else if (sorted[i]! > fenceHigh) high++;
  }
  return {
    count: n,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    mean,
    stddev: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
    median,
    p90: quantileSorted(sorted, 0.9),
    p99: quantileSorted(sorted, 0.99),
    p999: quantileSorted(sorted, 0.999),
    mad: medianAbsoluteDeviation(sorted, median),
    outliers: { low, high },
    medianInterval: medianInterval(sorted, confidence),
  };
}

export function summarize(values: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE): SampleSummary {
  if (values.length === 0) throw new RangeError('summarize: no samples');
  return summarizeSorted(sortedCopy(values), confidence);
}
