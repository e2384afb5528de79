/**
 * The Mann-Whitney U test of two independent sample series, in one O(n + m) walk over both sorted arrays.
 * U here is the candidate's: the number of (baseline, candidate) pairs where the candidate is slower, ties
 * counting half; n*m/2 is "no difference".
 */
import type { RankTest } from '../types.js';
import { twoSidedPValue } from '../../stats/index.js';

/** Both ascending. Normal approximation with the tie-corrected variance and a continuity correction. */
export function mannWhitney(sortedBaseline: Float64Array, sortedCandidate: Float64Array): RankTest {
  const n = sortedBaseline.length;
  const m = sortedCandidate.length;
  let u = 0;
  let tieTerm = 0; // sum of t^3 - t over groups of equal values (both sides together)
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    // The next group of equal values, from both sides: its midrank is shared, which is what the half counts do.
    const value = Math.min(i < n ? sortedBaseline[i]! : Number.POSITIVE_INFINITY, j < m ? sortedCandidate[j]! : Number.POSITIVE_INFINITY);
    const baselineStart = i;
    const candidateStart = j;
    while (i < n && sortedBaseline[i] === value) i++;
    while (j < m && sortedCandidate[j] === value) j++;
    const inBaseline = i - baselineStart;
    const inCandidate = j - candidateStart;
    u += inCandidate * (baselineStart + inBaseline / 2);
    const t = inBaseline + inCandidate;
    if (t > 1) tieTerm += t * t * t - t;
  }
  const pairs = n * m;
  const total = n + m;
  const variance = (pairs / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  const excess = u - pairs / 2;
  // Continuity correction: U moves in steps of 1/2 (with ties) or 1; shrink toward the mean, never past it.
  const corrected = Math.sign(excess) * Math.max(0, Math.abs(excess) - 0.5);
  const z = variance > 0 ? corrected / Math.sqrt(variance) : 0;
  return { name: 'mann-whitney', statistic: u, z, pValue: variance > 0 ? twoSidedPValue(z) : 1 };
}
