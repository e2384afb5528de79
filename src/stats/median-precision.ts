/** How precisely a series' median is known: what the bench's stopping rule and the summaries' wording read. */
import { quantileSorted } from './quantile.js';
import { medianInterval, medianRankInterval } from './rank-interval.js';

/** Relative half-width of the median's interval: the precision a case has reached (Infinity if unknown). */
export function relativePrecision(sorted: Float64Array, confidence: number): number {
  const interval = medianInterval(sorted, confidence);
  const center = quantileSorted(sorted, 0.5);
  if (!Number.isFinite(interval.low) || center === 0) return Number.POSITIVE_INFINITY;
  return (interval.high - interval.low) / 2 / Math.abs(center);
}

/** The fewest samples whose median has an interval at this confidence (9 at 99%, 6 at 95%). */
export function samplesForMedianInterval(confidence: number): number {
  let n = 1;
  while (medianRankInterval(n, confidence) === null && n < 1e6) n++;
  return n;
}
