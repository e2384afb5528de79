/**
 * Change points in a series: where its distribution moved, by E-Divisive means (Matteson and James, "A
 * Nonparametric Approach for Multiple Change Point Analysis of Multivariate Data", JASA 2014), the method
 * Hunter/Otava and MongoDB's performance CI use on benchmark histories.
 *
 * For a stretch of the series and a split τ inside it, the energy distance between the values left and right
 * of τ, scaled by their sizes,
 *   Q(τ) = (m·k / (m + k)) · (2/(m·k) Σ|xᵢ - yⱼ| - 1/C(m,2) Σ|xᵢ - xᵢ'| - 1/C(k,2) Σ|yⱼ - yⱼ'|),
 * is large where the two sides differ in any way (location or spread), and needs no assumption about the shape
 * of either. The best split of every stretch between the change points found so far is a candidate; the best
 * candidate is kept if a permutation test says so: the stretch's values shuffled (seeded, so the same series
 * always gives the same answer), its best Q recomputed each time, and p = (1 + #{Q_perm ≥ Q}) / (1 + R).
 * Splitting stops at the first candidate that is not significant.
 */
import { seededRandom } from '../../stats/index.js';

export interface ChangePointSettings {
  /** A change is kept when its permutation p-value is at most this (default 0.05). */
  significance?: number;
  /** Permutations per test (default 199: p-values down to 0.005). */
  permutations?: number;
  /** The fewest values either side of a change (default 3). */
  minimumSegment?: number;
  /** Seeds the permutations (default 1). */
  seed?: number;
}

export interface ChangePoint {
  /** Index of the first value after the change. */
  index: number;
  /** The permutation test's p-value. */
  pValue: number;
  /** Q at the change: the scaled energy distance between the two sides of the stretch it split. */
  energy: number;
}

/** Q for every split of `values`, from pairwise distances; the best split and its Q. */
function bestSplit(values: readonly number[], minimumSegment: number): { at: number; energy: number } | null {
  const n = values.length;
  if (n < 2 * minimumSegment) return null;
  // Prefix sums of within-left, within-right and between distances, updated as τ moves right: O(n²) for all τ.
  const distance = (i: number, j: number) => Math.abs(values[i]! - values[j]!);
  let within = 0; // Σ over pairs inside the whole stretch
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) within += distance(i, j);
  let left = 0; // Σ over pairs inside values[0, τ)
  let right = within; // Σ over pairs inside values[τ, n)
  let between = 0; // Σ over pairs across τ
  let best: { at: number; energy: number } | null = null;
  for (let tau = 1; tau < n; tau++) {
    // Move values[tau - 1] from the right side to the left.
    const moved = tau - 1;
    let toLeft = 0;
    let toRight = 0;
    for (let i = 0; i < moved; i++) toLeft += distance(i, moved);
    for (let j = tau; j < n; j++) toRight += distance(moved, j);
    right -= toRight;
    between += toRight - toLeft;
    left += toLeft;
    const m = tau;
    const k = n - tau;
    if (m < minimumSegment || k < minimumSegment) continue;
    const meanLeft = m > 1 ? left / ((m * (m - 1)) / 2) : 0;
    const meanRight = k > 1 ? right / ((k * (k - 1)) / 2) : 0;
    const energy = ((m * k) / (m + k)) * ((2 * between) / (m * k) - meanLeft - meanRight);
    if (best === null || energy > best.energy) best = { at: tau, energy };
  }
  return best;
}

function shuffled(values: readonly number[], random: () => number): number[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The change points of `values` (finite numbers, e.g. log run times), in order of index. */
export function findChangePoints(values: readonly number[], settings: ChangePointSettings = {}): ChangePoint[] {
  const significance = settings.significance ?? 0.05;
  const permutations = settings.permutations ?? 199;
  const minimumSegment = settings.minimumSegment ?? 3;
  if (!values.every(Number.isFinite)) throw new RangeError('findChangePoints: every value must be a finite number');
  if (!(significance > 0 && significance < 1)) throw new RangeError(`findChangePoints: significance must be between 0 and 1, got ${significance}`);
  if (!(Number.isInteger(permutations) && permutations >= 19)) throw new RangeError(`findChangePoints: permutations must be a whole number of at least 19, got ${permutations}`);
  if (!(Number.isInteger(minimumSegment) && minimumSegment >= 2)) throw new RangeError(`findChangePoints: minimumSegment must be a whole number of at least 2, got ${minimumSegment}`);
  const random = seededRandom(settings.seed ?? 1);

  const found: ChangePoint[] = [];
  for (;;) {
    // The stretches between the change points found so far; the best split of any of them is the candidate.
    const bounds = [0, ...found.map((c) => c.index).sort((a, b) => a - b), values.length];
    let candidate: { start: number; end: number; at: number; energy: number } | null = null;
    for (let s = 0; s + 1 < bounds.length; s++) {
      const start = bounds[s]!;
      const end = bounds[s + 1]!;
      const split = bestSplit(values.slice(start, end), minimumSegment);
      if (split && (candidate === null || split.energy > candidate.energy)) candidate = { start, end, at: start + split.at, energy: split.energy };
    }
    if (candidate === null || !(candidate.energy > 0)) break;
    const stretch = values.slice(candidate.start, candidate.end);
    let atLeast = 0;
    for (let r = 0; r < permutations; r++) {
      const permuted = bestSplit(shuffled(stretch, random), minimumSegment);
      if (permuted && permuted.energy >= candidate.energy) atLeast++;
    }
    const pValue = (1 + atLeast) / (1 + permutations);
    if (pValue > significance) break;
    found.push({ index: candidate.at, pValue, energy: candidate.energy });
  }
  return found.sort((a, b) => a.index - b.index);
}
