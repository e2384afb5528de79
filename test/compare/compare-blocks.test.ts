import { describe, expect, it } from 'vitest';

import { compareRuns } from '../../src/compare/compare-runs.js';
import { referenceOf } from '../../src/compare/resolve-runs.js';
import { compareSamples } from '../../src/compare/statistics/compare-samples.js';
import { trimmedSummary, yuenInterval } from '../../src/compare/statistics/block-interval.js';
import type { RunComparison } from '../../src/compare/types.js';
import type { CaseBlock, RunRecord } from '../../src/model/types.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { completed, makeRun } from '../support/store-fixtures.js';

/**
 * A case measured in `levels.length` blocks of 200 samples, alternating CPUs 0 and 1: block i sits at
 * levels[i] times `base` and its samples scatter about that by ±3% (uniform), as a real block's do.
 */
function blocked(levels: readonly number[], seed: number, base = 20_000): { samples: Float64Array; blocks: CaseBlock[] } {
  const random = seededRandom(seed);
  const perBlock = 200;
  const samples = new Float64Array(levels.length * perBlock);
  levels.forEach((level, b) => {
    for (let i = 0; i < perBlock; i++) samples[b * perBlock + i] = base * level * (0.97 + 0.06 * random());
  });
  return { samples, blocks: levels.map((_, b) => ({ samples: perBlock, cpu: b % 2 })) };
}

/** Ten block levels near 1 (±0.5%), with the given blocks made slower by `slow`. */
function levels(seed: number, slowBlocks: readonly number[] = [], slow = 1.3): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: 10 }, (_, b) => (1 + 0.01 * (random() - 0.5)) * (slowBlocks.includes(b) ? slow : 1));
}

function compare(a: { samples: Float64Array; blocks: CaseBlock[] }, b: { samples: Float64Array; blocks: CaseBlock[] }) {
  return compareSamples(a.samples, b.samples, { threshold: 0.05, confidence: 0.99, blocks: { baseline: a.blocks, candidate: b.blocks } });
}

describe("Yuen's trimmed-mean interval", () => {
  it('agrees with SciPy (ttest_ind(b, a, equal_var=False, trim=0.2))', () => {
    const a = [0.1, 0.12, 0.11, 0.35, 0.09, 0.105, 0.115, 0.5, 0.098, 0.102];
    const b = [0.21, 0.2, 0.22, 0.19, 0.6, 0.205, 0.215, 0.198, 0.45, 0.202];
    const interval = yuenInterval(trimmedSummary(a), trimmedSummary(b), 0.99)!;
    expect(interval.difference).toBeCloseTo(0.1, 12);
    expect(interval.degreesOfFreedom).toBeCloseTo(10, 9);
    expect(interval.difference - interval.halfWidth).toBeCloseTo(0.07823253331252436, 9);
    expect(interval.difference + interval.halfWidth).toBeCloseTo(0.12176746668747562, 9);
  });
});

describe('comparing runs measured in blocks', () => {
  it('calls two runs of the same code unchanged though a fifth of their blocks are 30% slow', () => {
    const result = compare(blocked(levels(1, [3, 8]), 11), blocked(levels(2, [0, 5]), 12));
    expect(result.method).toBe('blocks');
    expect(result.verdict).toBe('unchanged');
    expect(Math.abs(result.ratio.estimate - 1)).toBeLessThan(0.01);
    expect(result.unstable).toBe(false);
  });

  it('calls a 10% slowdown a regression, with the interval around 1.10', () => {
    const slower = levels(4, [2]).map((level) => level * 1.1);
    const result = compare(blocked(levels(3, [7]), 13), blocked(slower, 14));
    expect(result.verdict).toBe('regressed');
    expect(result.ratio.low).toBeGreaterThan(1.05);
    expect(result.ratio.high).toBeLessThan(1.15);
  });

  it('judges a side whose CPU 1 was slow all run on its CPU 0, and finds no change', () => {
    const slowCpu1 = levels(5, [1, 3, 5, 7, 9], 1.35);
    const result = compare(blocked(levels(6), 15), blocked(slowCpu1, 16));
    expect(result.blocks?.candidate.cpu).toBe(0);
    expect(result.blocks?.candidate.used).toBe(5);
    expect(result.verdict).not.toBe('regressed');
    expect(Math.abs(result.ratio.estimate - 1)).toBeLessThan(0.01);
  });

  it('marks a case whose blocks scatter by more than the threshold unstable', () => {
    const noisy = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 10 }, () => 1 + 0.3 * random());
    };
    const result = compare(blocked(noisy(7), 17), blocked(noisy(8), 18));
    expect(result.unstable).toBe(true);
    expect((Math.log(result.ratio.high) - Math.log(result.ratio.low)) / 2).toBeGreaterThan(Math.log(1.05));
  });

  it('compares runs of one block (stored before blocks) sample by sample, as before', () => {
    const a = blocked([1], 19);
    const b = blocked([1], 20);
    expect(compare(a, b).method).toBe('hodges-lehmann');
    expect(compare(a, b).blocks).toBeNull();
  });
});

describe('unstable cases in compareRuns', () => {
  /** A run whose every case has noisy blocks (levels 1..1.3): no case can resolve a 5% change. */
  function noisyRun(seed: number, factor = 1): RunRecord {
    const run = makeRun({ seed });
    const random = seededRandom(seed);
    return {
      ...run,
      cases: run.cases.map((c) => {
        if (c.state !== 'completed' || c.samples.candidates) return c;
        const { samples, blocks } = blocked(Array.from({ length: 10 }, () => factor * (1 + 0.3 * random())), seed + 100, c.summary.ns.median);
        return completed({ key: c.key, parameters: c.parameters, ns: samples, blocks });
      }),
    };
  }

  function compareRunPair(baseline: RunRecord, candidate: RunRecord, strict: boolean): RunComparison {
    return compareRuns({ run: baseline, reference: referenceOf({ run: baseline, source: 'store' }) }, { run: candidate, reference: referenceOf({ run: candidate, source: 'store' }) }, { threshold: 0.05, confidence: 0.99, strict });
  }

  it('counts them as unstable, never as regressed, unless strict', () => {
    const baseline = noisyRun(31);
    const candidate = noisyRun(32, 1.6);
    const relaxed = compareRunPair(baseline, candidate, false);
    const unstable = relaxed.cases.filter((c) => c.state === 'compared' && c.unstable);
    expect(unstable.length).toBeGreaterThan(0);
    expect(relaxed.counts.unstable).toBe(unstable.length);
    expect(relaxed.counts.regressed).toBe(relaxed.cases.filter((c) => c.state === 'compared' && !c.unstable && c.verdict === 'regressed').length);
    const strict = compareRunPair(baseline, candidate, true);
    expect(strict.counts.unstable).toBe(0);
    expect(strict.counts.regressed).toBeGreaterThan(relaxed.counts.regressed);
  });
});
