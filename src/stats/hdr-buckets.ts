/**
 * The HDR bucket rule, as hdr-histogram-js applies it with a lowest discernible value of 1: a value keeps its
 * top `bits` significant bits and the rest are rounded down, so a bucket is never wider than 1/2^(bits-1) of
 * its values. Written once here, in TypeScript for the readers and as SQL for ingest, which rounds raw
 * durations into the analytics latency rollups.
 *
 * keyscope keeps HDR histograms at two precisions, one per purpose, and both are stored, so neither can
 * change without rewriting what was stored and the numbers read back from it:
 *   - bench cases (a run's `histograms`, read back by reports) at 3 significant digits;
 *   - the analytics latency rollups at 2: a value keeps its top 8 bits, rounded down by less than 1/128
 *     (0.8 %). 3 digits would make hourly histograms nearly one row per event.
 * The bucket arithmetic below is at the rollups' precision; bench cases only ever go through hdr-histogram-js.
 */

/** The precisions hdr-histogram-js offers, in significant decimal digits. */
export type SignificantDigits = 1 | 2 | 3 | 4 | 5;

/** The bits hdr-histogram-js keeps for `digits` significant decimal digits: enough to count 2·10^digits in units. */
export function significantBits(digits: SignificantDigits): number {
  return Math.ceil(Math.log2(2 * 10 ** digits));
}

/** Bench case histograms (run files, reports). */
export const caseSignificantDigits: SignificantDigits = 3;
/** The analytics latency rollups and every histogram and percentile read from them. */
export const latencySignificantDigits: SignificantDigits = 2;
/** 2 significant digits need 256 sub-buckets: a value keeps its top 8 bits. */
export const latencySignificantBits = significantBits(latencySignificantDigits);

/** Bits dropped when rounding `value` (an integer >= 0) down to its HDR bucket. */
export function hdrShift(value: number): number {
  return value < 2 ** latencySignificantBits ? 0 : Math.floor(Math.log2(value)) + 1 - latencySignificantBits;
}

/** The smallest value of `value`'s HDR bucket: what the rollups store for it. */
export function hdrLowestEquivalent(value: number): number {
  const unit = 2 ** hdrShift(value);
  return Math.floor(value / unit) * unit;
}

/** The largest value of `value`'s HDR bucket (what getValueAtPercentile reports). */
export function hdrHighestEquivalent(value: number): number {
  return hdrLowestEquivalent(value) + 2 ** hdrShift(value) - 1;
}

/** hdrShift as a DuckDB expression over `value`, an SQL expression (written by code, never input) of an integer > 0. */
export function hdrShiftSql(value: string): string {
  return `greatest(floor(log2(${value}))::BIGINT + 1 - ${latencySignificantBits}, 0)`;
}

/** hdrLowestEquivalent as a DuckDB expression, given `shift`, the value's hdrShiftSql (computed once, as a column). */
export function hdrLowestEquivalentSql(value: string, shift: string): string {
  return `(${value} >> ${shift}) << ${shift}`;
}
