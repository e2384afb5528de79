/**
 * What the report draws of a case's latency distribution, read from its HDR histogram rather than its raw
 * samples: a percentile curve at fixed percentiles and the counts of log-spaced bins. Both stay a few hundred
 * numbers however many samples the case took.
 */
import { type Histogram, JsHistogram } from 'hdr-histogram-js';

import { decodeHistogram } from '../stats/index.js';

/** Points of every percentile curve. */
export const PERCENTILE_POINTS = 60;
/** The curve ends at p99.99: 1/(1-p) = 10^4. */
const PERCENTILE_DECADES = 4;
export const HISTOGRAM_BINS = 40;
/** The histogram shows the body of the distribution; what lies beyond this percentile is counted, not drawn. */
const HISTOGRAM_TOP_PERCENTILE = 99;

/**
 * The percentiles (0..1) of every curve, evenly spaced in log(1/(1-p)) from p0 to p99.99, so the tail gets as
 * many points as the body. Rounded, so they read well in the embedded data.
 */
export function percentileGrid(): number[] {
  return Array.from({ length: PERCENTILE_POINTS }, (_, i) => {
    const x = 10 ** ((PERCENTILE_DECADES * i) / (PERCENTILE_POINTS - 1));
    return Number((1 - 1 / x).toPrecision(8));
  });
}

/** `value` rounded to `digits` significant digits (HDR values carry 3; more would only cost bytes). */
export function significant(value: number, digits = 5): number {
  return value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(digits));
}

export interface DecodedCase {
  histogram: Histogram;
  count: number;
}

/** The case's histogram, or null with why it could not be read (a report shows what it can). */
export function readHistogram(encoded: string): { decoded: DecodedCase | null; problem: string | null } {
  try {
    const histogram = decodeHistogram(encoded);
    if (histogram.totalCount === 0) {
      histogram.destroy();
      return { decoded: null, problem: 'the histogram holds no samples' };
    }
    return { decoded: { histogram, count: histogram.totalCount }, problem: null };
  } catch (error) {
    return { decoded: null, problem: `the histogram cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Latency at each percentile of the grid. Beyond p = 1 - 1/count the samples say nothing new (the value is
 * the maximum), so the curve ends at the first grid point past that and the rest are null.
 */
export function percentileCurve(decoded: DecodedCase, grid: readonly number[]): (number | null)[] {
  const curve: (number | null)[] = [];
  let ended = false;
  for (const p of grid) {
    if (ended) {
      curve.push(null);
      continue;
    }
    curve.push(significant(decoded.histogram.getValueAtPercentile(p * 100)));
    if (1 / (1 - p) >= decoded.count) ended = true;
  }
  return curve;
}

/** Log-spaced bin edges shared by every run of a case, so their histograms overlay. */
export function histogramEdges(decoded: readonly DecodedCase[]): number[] | null {
  if (decoded.length === 0) return null;
  let low = Infinity;
  let high = 0;
  for (const d of decoded) {
    low = Math.min(low, Math.max(1, d.histogram.minNonZeroValue));
    high = Math.max(high, d.histogram.getValueAtPercentile(HISTOGRAM_TOP_PERCENTILE));
  }
  if (!Number.isFinite(low) || !(high > 0)) return null;
  // A single value (or one sample) still gets bins of visible width around it.
  if (high <= low * 1.02) {
    low /= 1.05;
    high *= 1.05;
  } else {
    high *= 1.001; // so the top percentile's value itself falls in the last bin
  }
  const ratio = Math.log(high / low);
  return Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => significant(low * Math.exp((ratio * i) / HISTOGRAM_BINS), 6));
}

/**
 * Fraction of the samples in each bin (so runs of different length compare), and the fraction above the last
 * edge. Reads the recorded values of the histogram (JavaScript histograms; the store decodes no others).
 */
export function histogramFractions(decoded: DecodedCase, edges: readonly number[]): { fractions: number[]; above: number } | null {
  const { histogram, count } = decoded;
  if (!(histogram instanceof JsHistogram)) return null;
  const bins = new Float64Array(edges.length - 1);
  const low = edges[0]!;
  const top = edges[edges.length - 1]!;
  const scale = (edges.length - 1) / Math.log(top / low);
  let above = 0;
  const iterator = histogram.recordedValuesIterator;
  iterator.reset();
  while (iterator.hasNext()) {
    const step = iterator.next();
    const value = histogram.medianEquivalentValue(step.valueIteratedTo);
    const n = step.countAddedInThisIterationStep;
    if (value >= top) above += n;
    else bins[Math.min(bins.length - 1, Math.max(0, Math.floor(Math.log(value / low) * scale)))]! += n;
  }
  return { fractions: Array.from(bins, (b) => significant(b / count, 4)), above: significant(above / count, 4) };
}
