/**
 * compareSamples: everything one pair of sample series says about a change. Independent runs get the
 * Hodges-Lehmann ratio with its Mann-Whitney interval; seeded paired runs of one block the median per-key log
 * ratio with its sign-test interval; runs measured in blocks an interval from the spread between blocks (unpaired,
 * or paired when an interleaved session or a seeded layout makes block p of each comparable). Both get tail ratios, a verdict and, when inconclusive, how many samples would settle it.
 */
import { describeValue, ErrorCodes, InvalidArgumentError } from '../../core/index.js';
import { medianRankInterval } from '../../stats/index.js';
import { type ComparisonSettingsInput, resolveComparisonSettings } from '../settings.js';
import type { BlockComparison, ComparisonSettings, RankTest, RatioInterval, SampleComparison } from '../types.js';
import { extremeLogShiftInterval, logShiftInterval } from './log-shift-interval.js';
import { mannWhitney } from './mann-whitney.js';
import { shiftIntervalRank } from './mann-whitney-distribution.js';
import { pairedInterval } from './paired-interval.js';
import { sortedPositiveCopy } from './sorted-positive-copy.js';
import { tailRatio } from './tail-ratio.js';
import { decideVerdict, samplesToResolve } from './verdict.js';
import { compareBlocks } from './block-interval.js';
import { compareBlockPairs, compareSeededBlockPairs } from './block-pairs.js';
import type { CaseBlock } from '../../model/index.js';

export interface CompareSamplesSettings extends ComparisonSettingsInput {
  /** Sample i of both series timed the same key (seeded runs): compare per pair. */
  paired?: boolean;
  /**
   * The blocks each series was measured in (see CaseBlock): when both have at least two, and the series are
   * not paired, the interval and verdict come from the spread between blocks (block-interval.ts).
   */
  blocks?: { baseline: readonly CaseBlock[]; candidate: readonly CaseBlock[] };
  /**
   * The two series come from one interleaved session: block i of each ran back to back, so the blocks are
   * compared as pairs (block-pairs.ts). Where they cannot be paired, the blocks are compared unpaired.
   */
  interleaved?: boolean;
  /**
   * Seeded runs laid out by block (src/bench/run-case.ts, seedBlockStride): block p of each timed the same keys,
   * so blocks are compared as pairs and, inside a pair, key by key (block-pairs.ts). Where they cannot be paired,
   * the blocks are compared unpaired.
   */
  seededBlocks?: boolean;
}

/**
 * Times must be finite and > 0 (they are compared as logs), at least 2 a side. Neither input is changed.
 * Too few samples for an interval at the confidence asked (3 vs 3 at 99%) is not an error: the ratio interval
 * is then [0, Infinity], the verdict inconclusive, and samplesToResolve a number (at least the smallest run
 * that has an interval).
 */
export function compareSamples(baseline: Float64Array, candidate: Float64Array, settings: CompareSamplesSettings): SampleComparison {
  const { threshold, confidence } = validateSettings(settings);
  validateSamples('baseline', baseline);
  validateSamples('candidate', candidate);
  const sortedBaseline = sortedPositiveCopy(baseline);
  const sortedCandidate = sortedPositiveCopy(candidate);

  let method: SampleComparison['method'];
  let ratio: RatioInterval;
  let test: RankTest;
  let count: number;
  // Only needed when the samples are too few for an interval; deferred because it costs another median.
  let widest: () => RatioInterval;
  let smallestWithInterval: () => number;
  if (settings.paired) {
    const paired = pairedInterval(baseline, candidate, confidence);
    method = 'paired';
    ({ ratio, test } = paired);
    count = paired.pairs;
    widest = () => paired.widest;
    smallestWithInterval = () => smallestCount((n) => medianRankInterval(n, confidence) !== null);
  } else {
    const logBaseline = logs(sortedBaseline);
    const logCandidate = logs(sortedCandidate);
    method = 'hodges-lehmann';
    ratio = logShiftInterval(logBaseline, logCandidate, confidence);
    test = mannWhitney(sortedBaseline, sortedCandidate);
    count = Math.min(baseline.length, candidate.length);
    widest = () => extremeLogShiftInterval(logBaseline, logCandidate);
    smallestWithInterval = () => smallestCount((n) => shiftIntervalRank(n, n, confidence) !== null);
  }

  let blocks: BlockComparison | null = null;
  if (!settings.paired && settings.blocks) {
    const sides = [{ samples: baseline, blocks: settings.blocks.baseline }, { samples: candidate, blocks: settings.blocks.candidate }] as const;
    const pairs = settings.seededBlocks ? compareSeededBlockPairs(...sides, confidence) : settings.interleaved ? compareBlockPairs(...sides, confidence) : null;
    blocks = pairs ?? compareBlocks(...sides, confidence);
    if (blocks) {
      method = pairs ? (settings.seededBlocks ? 'seeded-blocks' : 'interleaved') : 'blocks';
      ratio = blocks.ratio;
    }
  }
  const verdict = decideVerdict(ratio, threshold);
  let toResolve: number | null = null;
  if (verdict === 'inconclusive' && blocks) {
    toResolve = samplesToResolve(ratio, threshold, Math.min(blocks.baseline.used, blocks.candidate.used));
  } else if (verdict === 'inconclusive') {
    if (Number.isFinite(ratio.high) && ratio.low > 0) toResolve = samplesToResolve(ratio, threshold, count);
    else {
      // No interval at this confidence: extrapolate from the widest one these samples have, and never below
      // the smallest run that has an interval at all.
      const minimum = smallestWithInterval();
      toResolve = Math.max(minimum, samplesToResolve(widest(), threshold, count, confidence) ?? minimum);
    }
  }

  return {
    method,
    ratio,
    test,
    tails: {
      p90: tailRatio(sortedBaseline, sortedCandidate, 0.9, confidence),
      p99: tailRatio(sortedBaseline, sortedCandidate, 0.99, confidence),
    },
    verdict,
    samplesToResolve: toResolve,
    blocks,
    history: null,
    unstable: blocks !== null && blocks.noise > Math.log1p(threshold),
    baselineCount: baseline.length,
    candidateCount: candidate.length,
  };
}

function logs(sorted: Float64Array): Float64Array {
  const out = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) out[i] = Math.log(sorted[i]!);
  return out;
}

function smallestCount(hasInterval: (n: number) => boolean): number {
  let n = 2;
  while (!hasInterval(n) && n < 1e6) n++;
  return n;
}

function validateSettings(settings: CompareSamplesSettings): ComparisonSettings {
  return resolveComparisonSettings(settings, (name, problem) => {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `compareSamples: ${name} ${problem}, got ${describeValue(settings[name])}`);
  });
}

function validateSamples(side: 'baseline' | 'candidate', samples: Float64Array): void {
  // A plain array would sort as strings below: refuse it rather than compare nonsense.
  if (!(samples instanceof Float64Array)) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `compareSamples: ${side} samples must be a Float64Array`);
  }
  if (samples.length < 2) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `compareSamples: ${side} has ${samples.length} sample(s), at least 2 are needed`);
  }
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    if (!(value > 0 && value < Number.POSITIVE_INFINITY)) {
      throw new InvalidArgumentError(
        ErrorCodes.invalidOption,
        `compareSamples: ${side} sample ${i} is ${String(value)}; times must be finite and greater than 0`,
      );
    }
  }
}
