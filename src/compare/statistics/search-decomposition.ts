/**
 * Why an RSA case's time per key changed, split exactly in two. A key costs its prime candidates times what each
 * candidate cost, so over a run mean(ns) = mean(candidates) × (Σ ns / Σ candidates), and between two runs
 *
 *   ratio of mean time per key = ratio of mean candidates per key × ratio of pooled time per candidate.
 *
 * Means, not medians: only means split exactly, and the split is the point. Each factor gets a percentile
 * bootstrap interval. The resampled unit is a block when both sides have enough of them: a block is a stretch of
 * the run (a slow vCPU, a slow spell of the VM), so resampling blocks carries the noise between them into the
 * interval, as compare's own verdicts do; keys within one block are not independent of that. With few blocks
 * (older runs, one block) keys are resampled. Paired sides (seeded keys that searched the same candidates) are
 * resampled together, unit i of both at once, so the luck that is the same on both sides cancels.
 */
import { quantileSorted, seededRandom } from '../../stats/index.js';
import type { RatioInterval } from '../types.js';

export interface SearchSample {
  /** Time of each key (ns). */
  ns: ArrayLike<number>;
  /** Prime candidates of each key (all > 0). */
  candidates: ArrayLike<number>;
  /** Keys per block, in order (they add up to the keys); without it, every key is its own unit. */
  blocks?: readonly number[];
}

export interface DecompositionSettings {
  confidence: number;
  /** Unit i of both sides holds the same keys (their block counts agree): resample them together. */
  paired?: boolean;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Seed of the resampling, so that the same runs always give the same intervals. */
  seed?: number;
}

export interface SearchDecomposition {
  perKey: RatioInterval;
  candidatesPerKey: RatioInterval;
  perCandidate: RatioInterval;
  resampled: 'blocks' | 'keys';
}

/** Fewer blocks than this a side make too coarse a bootstrap: keys are resampled instead. */
export const minimumBlocksToResample = 8;
const defaultResamples = 2000;
const defaultSeed = 0x5ea4c4;

/** What a resample adds up: a unit's keys, their time and their candidates. */
interface Totals {
  keys: number;
  ns: number;
  candidates: number;
}

function units(sample: SearchSample, byBlock: boolean): Totals[] {
  const sizes = byBlock ? sample.blocks!.filter((keys) => keys > 0) : Array.from({ length: sample.ns.length }, () => 1);
  const out: Totals[] = [];
  let offset = 0;
  for (const keys of sizes) {
    const unit = { keys, ns: 0, candidates: 0 };
    for (let i = offset; i < offset + keys; i++) {
      unit.ns += sample.ns[i]!;
      unit.candidates += sample.candidates[i]!;
    }
    out.push(unit);
    offset += keys;
  }
  return out;
}

function sum(parts: readonly Totals[]): Totals {
  const total = { keys: 0, ns: 0, candidates: 0 };
  for (const part of parts) {
    total.keys += part.keys;
    total.ns += part.ns;
    total.candidates += part.candidates;
  }
  return total;
}

/** The three ratios (candidate / baseline) of two sides' totals. */
function ratios(baseline: Totals, candidate: Totals): [perKey: number, candidatesPerKey: number, perCandidate: number] {
  return [
    candidate.ns / candidate.keys / (baseline.ns / baseline.keys),
    candidate.candidates / candidate.keys / (baseline.candidates / baseline.keys),
    candidate.ns / candidate.candidates / (baseline.ns / baseline.candidates),
  ];
}

function enoughBlocks(sample: SearchSample): boolean {
  return sample.blocks !== undefined && sample.blocks.filter((keys) => keys > 0).length >= minimumBlocksToResample;
}

function validate(name: string, sample: SearchSample): void {
  if (sample.ns.length < 1 || sample.candidates.length !== sample.ns.length) throw new RangeError(`decomposeSearch: ${name} needs a candidate count for each of at least one key`);
  for (let i = 0; i < sample.ns.length; i++) {
    if (!(sample.ns[i]! > 0) || !(sample.candidates[i]! > 0)) throw new RangeError(`decomposeSearch: ${name} key ${i} has a time or candidate count that is not positive`);
  }
  const blocked = sample.blocks?.reduce((a, b) => a + b, 0);
  if (blocked !== undefined && blocked !== sample.ns.length) throw new RangeError(`decomposeSearch: ${name}'s blocks hold ${blocked} keys, not ${sample.ns.length}`);
}

export function decomposeSearch(baseline: SearchSample, candidate: SearchSample, settings: DecompositionSettings): SearchDecomposition {
  validate('baseline', baseline);
  validate('candidate', candidate);
  const paired = settings.paired ?? false;
  const sameBlocks = (baseline.blocks ?? []).join() === (candidate.blocks ?? []).join();
  if (paired && (baseline.ns.length !== candidate.ns.length || !sameBlocks)) {
    throw new RangeError('decomposeSearch: paired sides need the same keys in the same blocks');
  }
  const byBlock = enoughBlocks(baseline) && enoughBlocks(candidate);
  const a = units(baseline, byBlock);
  const b = units(candidate, byBlock);
  const estimates = ratios(sum(a), sum(b));

  const resamples = settings.resamples ?? defaultResamples;
  const random = seededRandom(settings.seed ?? defaultSeed);
  const draws = [new Float64Array(resamples), new Float64Array(resamples), new Float64Array(resamples)];
  const pick = (from: readonly Totals[], into: Totals, index: number) => {
    const unit = from[index]!;
    into.keys += unit.keys;
    into.ns += unit.ns;
    into.candidates += unit.candidates;
  };
  for (let r = 0; r < resamples; r++) {
    const x = { keys: 0, ns: 0, candidates: 0 };
    const y = { keys: 0, ns: 0, candidates: 0 };
    if (paired) {
      for (let i = 0; i < a.length; i++) {
        const index = Math.floor(random() * a.length);
        pick(a, x, index);
        pick(b, y, index);
      }
    } else {
      for (let i = 0; i < a.length; i++) pick(a, x, Math.floor(random() * a.length));
      for (let i = 0; i < b.length; i++) pick(b, y, Math.floor(random() * b.length));
    }
    const drawn = ratios(x, y);
    for (let k = 0; k < 3; k++) draws[k]![r] = drawn[k]!;
  }
  const tail = (1 - settings.confidence) / 2;
  const interval = (k: number): RatioInterval => {
    const sorted = draws[k]!.sort();
    return { estimate: estimates[k]!, low: quantileSorted(sorted, tail), high: quantileSorted(sorted, 1 - tail), confidence: settings.confidence };
  };
  return { perKey: interval(0), candidatesPerKey: interval(1), perCandidate: interval(2), resampled: byBlock ? 'blocks' : 'keys' };
}
