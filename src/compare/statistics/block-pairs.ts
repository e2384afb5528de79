/**
 * The comparison of an interleaved session (src/bench/interleave.ts): block i of the baseline and block i of the
 * candidate ran back to back on one CPU, so d_i = (log median of the candidate's block i) - (the baseline's)
 * carries the change and little of the drift between them: a vCPU's slow spell or a noisy neighbour falls on both
 * blocks of a pair. The estimate is the 20% trimmed mean of the d_i, its interval Yuen's one-sample interval
 * (Student's t on h - 1 degrees of freedom with the Winsorized variance), for the same reason the unpaired block
 * comparison trims: a block with a collection or a tier-up in it, on one side only, is rare and large.
 */
import { median, studentTQuantile } from '../../stats/index.js';
import type { CaseBlock } from '../../model/index.js';
import type { BlockComparison } from '../types.js';
import { blockLocations, trimmedSummary } from './block-interval.js';

/** Why the blocks of two runs cannot be taken as pairs, or null when they can. */
export function pairingProblem(baseline: readonly CaseBlock[], candidate: readonly CaseBlock[]): string | null {
  if (baseline.length !== candidate.length) return `the runs have ${baseline.length} and ${candidate.length} blocks`;
  const moved = baseline.findIndex((block, i) => block.cpu !== candidate[i]!.cpu);
  if (moved >= 0) return `block ${moved + 1} ran on CPU ${String(baseline[moved]!.cpu)} and CPU ${String(candidate[moved]!.cpu)}`;
  return null;
}

/** Null when the pairs cannot carry an interval: unpaired blocks, or fewer than 3 pairs (too few to trim and keep two). */
export function compareBlockPairs(
  baseline: { samples: Float64Array; blocks: readonly CaseBlock[] },
  candidate: { samples: Float64Array; blocks: readonly CaseBlock[] },
  confidence: number,
): BlockComparison | null {
  if (pairingProblem(baseline.blocks, candidate.blocks) !== null) return null;
  const a = blockLocations(baseline.samples, baseline.blocks);
  const b = blockLocations(candidate.samples, candidate.blocks);
  if (a.length !== b.length) return null;
  return yuenOfPairs(a.map((pair, i) => b[i]!.location - pair.location), confidence);
}

/** Where pair p's keys sit in each series: the first `keys` samples of block p on both sides timed the same keys. */
export interface KeyPairs {
  baselineOffset: number;
  candidateOffset: number;
  keys: number;
}

/**
 * Seeded runs laid out by block (src/bench/run-case.ts, seedBlockStride): block p of each timed keys p × stride,
 * p × stride + 1, … of the same stream, so its first min(n_a, n_c) keys are the same keys on both sides.
 */
export function seededKeyPairs(baseline: readonly CaseBlock[], candidate: readonly CaseBlock[]): KeyPairs[] {
  const pairs: KeyPairs[] = [];
  let baselineOffset = 0;
  let candidateOffset = 0;
  for (let p = 0; p < Math.min(baseline.length, candidate.length); p++) {
    pairs.push({ baselineOffset, candidateOffset, keys: Math.min(baseline[p]!.samples, candidate[p]!.samples) });
    baselineOffset += baseline[p]!.samples;
    candidateOffset += candidate[p]!.samples;
  }
  return pairs;
}

/**
 * Seeded runs laid out by block, compared pair by pair: d_p = the median over pair p's keys of the per-key log
 * ratio (candidate over baseline). Inside a pair, each key's luck (RSA: how many prime candidates it searched)
 * cancels; between pairs, the noise between blocks (a slow spell, the other CPU) stays, and the interval is
 * Yuen's over the d_p, as for interleaved pairs. Null when the blocks cannot be paired or fewer than 3 pairs.
 */
export function compareSeededBlockPairs(
  baseline: { samples: Float64Array; blocks: readonly CaseBlock[] },
  candidate: { samples: Float64Array; blocks: readonly CaseBlock[] },
  confidence: number,
): BlockComparison | null {
  if (pairingProblem(baseline.blocks, candidate.blocks) !== null) return null;
  const differences = seededKeyPairs(baseline.blocks, candidate.blocks).map(({ baselineOffset, candidateOffset, keys }) => {
    const ratios = new Float64Array(keys);
    for (let j = 0; j < keys; j++) ratios[j] = Math.log(candidate.samples[candidateOffset + j]! / baseline.samples[baselineOffset + j]!);
    return median(ratios);
  });
  return yuenOfPairs(differences, confidence);
}

/** The 20% trimmed mean of the pairs' differences with Yuen's one-sample interval (t on h - 1 degrees of freedom). */
function yuenOfPairs(differences: readonly number[], confidence: number): BlockComparison | null {
  if (differences.length < 3) return null;
  const trimmed = trimmedSummary(differences);
  const degreesOfFreedom = trimmed.kept - 1;
  if (degreesOfFreedom < 1) return null;
  const standardError = Math.sqrt(trimmed.variance);
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom) * standardError;
  const side = { used: differences.length, blocks: differences.length, cpu: 'all' as const };
  return {
    ratio: { estimate: Math.exp(trimmed.mean), low: Math.exp(trimmed.mean - halfWidth), high: Math.exp(trimmed.mean + halfWidth), confidence },
    baseline: side,
    candidate: side,
    spread: trimmed.winsorizedSd,
    degreesOfFreedom,
    noise: studentTQuantile(0.975, degreesOfFreedom) * standardError,
  };
}
