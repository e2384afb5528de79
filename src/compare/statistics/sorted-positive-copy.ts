/**
 * A sorted copy of positive finite doubles by LSD radix sort: the IEEE-754 bit patterns of non-negative
 * doubles order exactly like the numbers, so four stable passes over 16-bit digits sort them. About 2-3x
 * faster than TypedArray.prototype.sort at a million samples, where sorting is most of a comparison's cost.
 */

/** Below this the built-in sort wins: the four 65536-bucket histograms cost more than the comparisons. */
const RADIX_MIN = 20_000;
const BUCKETS = 65536;

/** Values must be finite and > 0 (compareSamples has checked); the input is not changed. */
export function sortedPositiveCopy(values: Float64Array): Float64Array {
  const length = values.length;
  if (length < RADIX_MIN) return values.slice().sort();
  let source = values.slice();
  let target = new Float64Array(length);
  // Little-endian: digit d of element i is the 16-bit word 4i + d, least significant first.
  let digits = new Uint16Array(source.buffer);
  const offsets = new Uint32Array(4 * BUCKETS);
  for (let i = 0; i < 4 * length; i += 4) {
    offsets[digits[i]!]!++;
    offsets[BUCKETS + digits[i + 1]!]!++;
    offsets[2 * BUCKETS + digits[i + 2]!]!++;
    offsets[3 * BUCKETS + digits[i + 3]!]!++;
  }
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * BUCKETS;
    // A digit every value shares (low mantissa bits of round numbers, say) would only copy: skip it.
    if (offsets[base + digits[pass]!] === length) continue;
    let sum = 0;
    for (let b = base; b < base + BUCKETS; b++) {
      const count = offsets[b]!;
      offsets[b] = sum;
      sum += count;
    }
    for (let i = 0; i < length; i++) target[offsets[base + digits[4 * i + pass]!]!++] = source[i]!;
    [source, target] = [target, source];
    digits = new Uint16Array(source.buffer);
  }
  return source;
}
