/**
 * HDR histograms (hdr-histogram-js) in their standard compressed base64 encoding, so that any HdrHistogram
 * implementation can read them back: a bench case's samples at caseSignificantDigits, and the latency
 * rollups' bucket counts at latencySignificantDigits (hdr-buckets.ts says why the two differ).
 */
import { createRequire } from 'node:module';

import type * as HdrHistogram from 'hdr-histogram-js';

import { caseSignificantDigits, latencySignificantDigits, type SignificantDigits } from './hdr-buckets.js';
import type { BucketCount } from './hdr-counts.js';

// Loaded on first use: it brings pako and a WebAssembly loader, which every CLI start (a keygen, a listing)
// would otherwise pay for though only bench, report and the rollups' readers ever build a histogram.
const require = createRequire(import.meta.url);
let loaded: typeof HdrHistogram | undefined;
const hdrLibrary = (): typeof HdrHistogram => (loaded ??= require('hdr-histogram-js') as typeof HdrHistogram);

/** One setting for every histogram keyscope writes, so that all of them decode alike. */
function newHistogram(digits: SignificantDigits, highestValue: number): HdrHistogram.Histogram {
  return hdrLibrary().build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: Math.max(2, highestValue),
    numberOfSignificantValueDigits: digits,
    useWebAssembly: false,
  });
}

function encoded(histogram: HdrHistogram.Histogram, record: (histogram: HdrHistogram.Histogram) => void): string {
  try {
    record(histogram);
    return hdrLibrary().encodeIntoCompressedBase64(histogram);
  } finally {
    histogram.destroy();
  }
}

/** A bench case's samples (ns or cycles; each rounded to an integer of at least 1). */
export function encodeHistogram(values: ArrayLike<number>): string {
  return encoded(newHistogram(caseSignificantDigits, 2), (histogram) => {
    for (let i = 0; i < values.length; i++) histogram.recordValue(Math.max(1, Math.round(values[i]!)));
  });
}

/**
 * Counts of latency-rollup values (already rounded to their HDR buckets); `max` is the largest value, to size
 * the histogram up front: growing it value by value re-copies the counts each time.
 */
export function encodeBucketCounts(counts: readonly BucketCount[], max: number): string {
  return encoded(newHistogram(latencySignificantDigits, max), (histogram) => {
    for (const { value, count } of counts) histogram.recordValueWithCount(value, count);
  });
}

export function decodeHistogram(encoded: string): HdrHistogram.Histogram {
  return hdrLibrary().decodeFromCompressedBase64(encoded, 64, false);
}
