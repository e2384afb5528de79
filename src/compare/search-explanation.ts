/**
 * The search explanation of an RSA case (SearchExplanation): which keys to decompose, the decomposition with its
 * intervals (statistics/search-decomposition.ts), which factor moved, and the line that says so.
 *
 * Seeded keys that searched the same candidates in both runs are the same keys: their luck is identical, so
 * only they are decomposed, as pairs, and the candidates factor is exactly 1. Any other keys are each run's own.
 */
import type { CompletedCase } from '../model/index.js';
import { searchReading } from './format/search-reading.js';
import { decomposeSearch, type KeyPairs } from './statistics/index.js';
import type { SearchExplanation, SearchSide } from './types.js';

/**
 * 95% whatever the comparison's confidence: this explains a change, it does not gate on it, and a case's
 * confidence (99.95% for 20 cases at 99%) would need a hundred times the resamples to reach its tails.
 */
export const searchConfidence = 0.95;

/** How the seeded keys of the two runs relate (compare-runs.ts works it out); null for runs that are not seeded alike. */
export interface SeededSearch {
  /** Where the keys both runs took sit in each series. */
  pairs: readonly KeyPairs[];
  /** Some key of the same place searched different candidates: the search itself changed. */
  changed: boolean;
}

interface Keys {
  ns: Float64Array;
  candidates: Float64Array;
  blocks: number[];
}

function ownKeys(result: CompletedCase): Keys {
  return { ns: result.samples.ns, candidates: result.samples.candidates!, blocks: result.blocks.map((block) => block.samples) };
}

/** The keys both runs took, in pair order: the same keys on both sides. */
function sharedKeys(result: CompletedCase, pairs: readonly KeyPairs[], side: 'baselineOffset' | 'candidateOffset'): Keys {
  const ns: number[] = [];
  const candidates: number[] = [];
  for (const pair of pairs) {
    for (let j = 0; j < pair.keys; j++) {
      ns.push(result.samples.ns[pair[side] + j]!);
      candidates.push(result.samples.candidates![pair[side] + j]!);
    }
  }
  return { ns: Float64Array.from(ns), candidates: Float64Array.from(candidates), blocks: pairs.map((pair) => pair.keys) };
}

function searchSide(keys: Keys): SearchSide {
  let ns = 0;
  let candidates = 0;
  for (let i = 0; i < keys.ns.length; i++) {
    ns += keys.ns[i]!;
    candidates += keys.candidates[i]!;
  }
  return { keys: keys.ns.length, meanCandidates: candidates / keys.ns.length, nsPerCandidate: ns / candidates, meanNs: ns / keys.ns.length };
}

function hasSearch(result: CompletedCase): boolean {
  const { ns, candidates } = result.samples;
  return candidates !== null && candidates.length === ns.length && ns.length > 0 && candidates.every((c) => c > 0);
}

/** Null unless both cases counted the prime candidates of every key (RSA through keyscope's native loop). */
export function explainSearch(baseline: CompletedCase, candidate: CompletedCase, seeded: SeededSearch | null): SearchExplanation | null {
  if (!hasSearch(baseline) || !hasSearch(candidate)) return null;
  const sameSearch = seeded !== null && !seeded.changed && seeded.pairs.some((pair) => pair.keys > 0);
  const pairs = sameSearch ? seeded.pairs.filter((pair) => pair.keys > 0) : [];
  const before = sameSearch ? sharedKeys(baseline, pairs, 'baselineOffset') : ownKeys(baseline);
  const after = sameSearch ? sharedKeys(candidate, pairs, 'candidateOffset') : ownKeys(candidate);
  const factors = decomposeSearch(before, after, { confidence: searchConfidence, paired: sameSearch });
  const moved = (ratio: { low: number; high: number }) => ratio.low > 1 || ratio.high < 1;
  const candidatesMoved = !sameSearch && moved(factors.candidatesPerKey);
  const perCandidateMoved = moved(factors.perCandidate);
  const figures = {
    ...factors,
    baseline: searchSide(before),
    candidate: searchSide(after),
    keys: sameSearch ? ('same-search' as const) : ('independent' as const),
    searchChanged: seeded?.changed ?? false,
    cause: candidatesMoved && perCandidateMoved ? ('both' as const) : candidatesMoved ? ('candidates' as const) : perCandidateMoved ? ('per-candidate' as const) : ('neither' as const),
  };
  return { ...figures, reading: searchReading(figures) };
}
