/**
 * HDR histograms of a case's samples (hdr-histogram-js, 3 significant digits), stored in their standard
 * compressed base64 encoding so that any HdrHistogram implementation can read them back.
 */
import * as hdr from 'hdr-histogram-js';

export function encodeHistogram(values: ArrayLike<number>): string {
  const histogram = hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  try {
    for (let i = 0; i < values.length; i++) histogram.recordValue(Math.max(1, Math.round(values[i]!)));
    return hdr.encodeIntoCompressedBase64(histogram);
  } finally {
    histogram.destroy();
  }
}

export function decodeHistogram(encoded: string): hdr.Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 64, false);
}
