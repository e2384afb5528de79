/**
 * The comparison of an interleaved session (src/bench/interleave.ts): block i of the baseline and block i of the
 * candidate ran back to back on one CPU, so d_i = (log median of the candidate's block i) - (the baseline's)
 * carries the change and little of the drift between them: a vCPU's slow spell or a noisy neighbour falls on both
 * blocks of a pair. The estimate is the 20% trimmed mean of the d_i, its interval Yuen's one-sample interval
 * (Student's t on h - 1 degrees of freedom with the Winsorized variance), for the same reason the unpaired block
 * comparison trims: a block with a collection or a tier-up in it, on one side only, is rare and large.
 */
import { studentTQuantile } from '../../stats/index.js';
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
  if (a.length !== b.length || a.length < 3) return null;
  const differences = a.map((pair, i) => b[i]!.location - pair.location);
  const trimmed = trimmedSummary(differences);
  const degreesOfFreedom = trimmed.kept - 1;
  if (degreesOfFreedom < 1) return null;
  const standardError = Math.sqrt(trimmed.variance);
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom) * standardError;
  const side = { used: a.length, blocks: a.length, cpu: 'all' as const };
  return {
    ratio: { estimate: Math.exp(trimmed.mean), low: Math.exp(trimmed.mean - halfWidth), high: Math.exp(trimmed.mean + halfWidth), confidence },
    baseline: side,
    candidate: side,
    spread: trimmed.winsorizedSd,
    degreesOfFreedom,
    noise: studentTQuantile(0.975, degreesOfFreedom) * standardError,
  };
}
