/**
 * HDR histogram arithmetic for counts already grouped by HDR bucket (the latency rollups' rows), without
 * building an hdr-histogram-js histogram per group (which costs ~0.2 ms each: too slow for thousands of
 * groups). The percentile rule is hdr-histogram-js's own at the rollups' precision (hdr-buckets.ts), so the
 * answers are the ones `histogram.getValueAtPercentile` gives (the latency-over-time test checks this against
 * the library).
 */
import { hdrHighestEquivalent, latencySignificantBits } from './hdr-buckets.js';

/** The distance to the next double above x: the library subtracts it so fp error cannot skip a count. */
function ulp(x: number): number {
  return x === 0 ? Number.MIN_VALUE : 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);
}

export interface BucketCount {
  /** A value already rounded down to its HDR bucket. */
  value: number;
  count: number;
}

/** Sub-buckets per power of two above the first 2^bits values: the bucket index grows by this per shift. */
const halfSubBuckets = 2 ** (latencySignificantBits - 1);

const powersOfTwo = Float64Array.from({ length: 64 }, (_, i) => 2 ** i);

/**
 * The index of a rounded value's HDR bucket: dense and in value order (values below 2^bits are their own
 * index; above, each power of two adds halfSubBuckets indexes).
 */
function bucketIndex(value: number): number {
  // hdrShift (hdr-buckets.ts) without Math.log2 or `**` (this is the hot path of a 180-day chart, and both
  // cost ~5x more): the bit length from Math.clz32, on the high 32 bits for values that do not fit in 32.
  const bitLength = value < 4_294_967_296 ? 32 - Math.clz32(value) : 64 - Math.clz32(value / 4_294_967_296);
  const shift = bitLength > latencySignificantBits ? bitLength - latencySignificantBits : 0;
  return shift * halfSubBuckets + value / powersOfTwo[shift]!;
}

function valueAtIndex(index: number): number {
  const shift = Math.max(0, Math.floor(index / halfSubBuckets) - 1);
  return (index - shift * halfSubBuckets) * 2 ** shift;
}

/**
 * The counts of one histogram by bucket index, as hdr-histogram-js keeps them, so that counts arriving in
 * any order (and the same value more than once) need no sort: reading percentiles walks the used indexes.
 * One instance is reused for many histograms (reset() clears only what was used).
 */
export class HdrCounts {
  /** Every value below 2^64 has an index below 57 * halfSubBuckets (its shift is at most 56). */
  private readonly counts = new Float64Array(58 * halfSubBuckets);
  private lowest = Infinity;
  private highest = -1;
  total = 0;

  /** Adds `count` occurrences of `value` (already rounded down to its HDR bucket). */
  add(value: number, count: number): void {
    const index = bucketIndex(value);
    this.counts[index]! += count;
    this.total += count;
    if (index < this.lowest) this.lowest = index;
    if (index > this.highest) this.highest = index;
  }

  /**
   * The values at `percentiles` (0..100), as hdr-histogram-js computes them: the highest equivalent value of
   * the first bucket whose cumulative count reaches ceil(p% of the total) (the lowest one for p = 0).
   */
  percentiles(percentiles: readonly number[]): number[] {
    if (this.total === 0) return percentiles.map(() => 0);
    return percentiles.map((percentile) => {
      const fpCount = (Math.min(percentile, 100) / 100) * this.total;
      const countAtPercentile = Math.max(Math.ceil(fpCount - ulp(fpCount)), 1);
      let cumulative = 0;
      let index = this.lowest;
      for (; index < this.highest; index++) {
        cumulative += this.counts[index]!;
        if (cumulative >= countAtPercentile) break;
      }
      const value = valueAtIndex(index);
      return percentile === 0 ? value : hdrHighestEquivalent(value);
    });
  }

  /** The non-zero counts in value order. */
  buckets(): BucketCount[] {
    const buckets: BucketCount[] = [];
    for (let index = this.lowest; index <= this.highest; index++) {
      const count = this.counts[index]!;
      if (count > 0) buckets.push({ value: valueAtIndex(index), count });
    }
    return buckets;
  }

  reset(): void {
    if (this.highest >= 0) this.counts.fill(0, this.lowest, this.highest + 1);
    this.lowest = Infinity;
    this.highest = -1;
    this.total = 0;
  }
}

/** The values at `percentiles` (0..100) of `counts` (in any order), by hdr-histogram-js's rule (HdrCounts). */
export function hdrPercentiles(counts: readonly BucketCount[], percentiles: readonly number[]): number[] {
  const histogram = new HdrCounts();
  for (const { value, count } of counts) histogram.add(value, count);
  return histogram.percentiles(percentiles);
}
