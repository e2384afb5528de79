import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { compareSamples } from '../../src/compare/index.js';
import { compareBlockPairs, pairingProblem } from '../../src/compare/statistics/index.js';
import type { CaseBlock } from '../../src/model/index.js';
import { seededRandom } from '../../src/stats/index.js';

/** Blocks of `perBlock` samples each, every sample of block i at `medians[i]` (so its median is that). */
function side(medians: readonly number[], cpus: readonly (number | null)[], perBlock = 5): { samples: Float64Array; blocks: CaseBlock[] } {
  const samples = Float64Array.from(medians.flatMap((m) => Array.from({ length: perBlock }, (_, j) => m * (1 + (j - 2) * 1e-4))));
  const blocks: CaseBlock[] = medians.map((_, i) => ({ samples: perBlock, cpu: cpus[i]! }));
  return { samples, blocks };
}

/** A drifting machine: each round's speed wanders by up to 30%, shared by both blocks of its pair. */
function drifting(rounds: number, change: number, seed: number): { baseline: number[]; candidate: number[] } {
  const random = seededRandom(seed);
  const baseline: number[] = [];
  const candidate: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const drift = 1 + 0.3 * random();
    baseline.push(1000 * drift * (1 + 0.002 * (random() - 0.5)));
    candidate.push(1000 * drift * (1 + change) * (1 + 0.002 * (random() - 0.5)));
  }
  return { baseline, candidate };
}

describe('compareBlockPairs (an interleaved session)', () => {
  const cpus = Array.from({ length: 16 }, (_, i) => i % 2);

  it('cancels drift that both blocks of a pair share: a 3% change is found inside 30% drift', () => {
    const { baseline, candidate } = drifting(16, 0.03, 1);
    const pairs = compareBlockPairs(side(baseline, cpus), side(candidate, cpus), 0.999)!;
    expect(pairs.ratio.estimate).toBeGreaterThan(1.025);
    expect(pairs.ratio.estimate).toBeLessThan(1.035);
    expect(pairs.ratio.low).toBeGreaterThan(1);
    expect(pairs.candidate.used).toBe(16);
    expect(pairs.degreesOfFreedom).toBe(16 - 2 * 3 - 1);
  });

  it('is what compareSamples judges by for an interleaved session; the same blocks unpaired drown the change in drift', () => {
    const { baseline, candidate } = drifting(16, 0.03, 1);
    const a = side(baseline, cpus);
    const b = side(candidate, cpus);
    const settings = { threshold: 0.02, confidence: 0.99, blocks: { baseline: a.blocks, candidate: b.blocks } };
    const paired = compareSamples(a.samples, b.samples, { ...settings, interleaved: true });
    expect(paired.method).toBe('interleaved');
    expect(paired.verdict).toBe('regressed');
    expect(paired.unstable).toBe(false);
    const unpaired = compareSamples(a.samples, b.samples, settings);
    expect(unpaired.method).toBe('blocks');
    expect(unpaired.verdict).toBe('inconclusive');
    expect(unpaired.unstable).toBe(true);
  });

  it('leaves "no change" inside its interval when nothing changed', () => {
    const { baseline, candidate } = drifting(16, 0, 2);
    const pairs = compareBlockPairs(side(baseline, cpus), side(candidate, cpus), 0.99)!;
    expect(pairs.ratio.low).toBeLessThan(1);
    expect(pairs.ratio.high).toBeGreaterThan(1);
    expect(pairs.noise).toBeLessThan(Math.log1p(0.01));
  });

  it('trims a wild pair instead of letting it set the estimate', () => {
    const { baseline, candidate } = drifting(16, 0.03, 3);
    candidate[5] = candidate[5]! * 1.6;
    const pairs = compareBlockPairs(side(baseline, cpus), side(candidate, cpus), 0.99)!;
    expect(pairs.ratio.estimate).toBeLessThan(1.035);
  });

  it('refuses blocks that are not pairs, saying why', () => {
    const { baseline, candidate } = drifting(6, 0, 4);
    expect(pairingProblem(side(baseline, cpus).blocks, side(candidate.slice(1), cpus).blocks)).toBe('the runs have 6 and 5 blocks');
    expect(pairingProblem(side(baseline, [0, 1, 0, 1, 0, 1]).blocks, side(candidate, [0, 1, 1, 1, 0, 1]).blocks)).toBe('block 3 ran on CPU 0 and CPU 1');
    expect(compareBlockPairs(side(baseline, [0, 1, 0, 1, 0, 1]), side(candidate, [0, 1, 1, 1, 0, 1]), 0.99)).toBeNull();
    expect(compareBlockPairs(side(baseline.slice(0, 2), cpus), side(candidate.slice(0, 2), cpus), 0.99)).toBeNull();
  });
});

describe('compareBlockPairs on real sessions (test/fixtures/interleaved)', () => {
  interface SlimSession {
    cases: { key: { case: string; implementation: string; algorithm: string }; parameters: { threads?: number }; baseline: { cpu: number | null; median: number }[]; candidate: { cpu: number | null; median: number }[] }[];
  }
  const sessions = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/interleaved/quick-sessions-2026-12-07.json', import.meta.url)), 'utf8')) as Record<'aa3' | 'ab1', SlimSession>;
  /** One sample a block, at the block's median: the pairs read nothing else. */
  const sideOf = (blocks: { cpu: number | null; median: number }[]) => ({ samples: Float64Array.from(blocks, (b) => b.median), blocks: blocks.map((b) => ({ samples: 1, cpu: b.cpu })) });
  const judge = (session: SlimSession, implementation: string, algorithm: string) => {
    const found = session.cases.find((c) => c.key.case === 'keygen' && c.key.implementation === implementation && c.key.algorithm === algorithm)!;
    // The session's 99% shared by its 20 cases, as compareRuns shares it.
    return compareBlockPairs(sideOf(found.baseline), sideOf(found.candidate), 1 - 0.01 / 20)!;
  };

  it('finds the 3% handicap of the native cases, and measures it as about 3%', () => {
    for (const algorithm of ['ec-p256', 'ed25519']) {
      const pairs = judge(sessions.ab1, 'keyscope-native', algorithm);
      expect(pairs.ratio.low).toBeGreaterThan(1);
      expect(pairs.ratio.estimate).toBeGreaterThan(1.02);
      expect(pairs.ratio.estimate).toBeLessThan(1.045);
    }
  });

  it('keeps "no change" inside the interval of an honest native case, and shows the one-process shift that gated', () => {
    const native = judge(sessions.aa3, 'keyscope-native', 'ed25519');
    expect(native.ratio.low).toBeLessThan(1);
    expect(native.ratio.high).toBeGreaterThan(1);
    // keyscope's sync ed25519: one worker ran it ~10% slower all session long, with pairs as steady as the native case's.
    const shifted = judge(sessions.aa3, 'keyscope', 'ed25519');
    expect(shifted.ratio.estimate).toBeGreaterThan(1.08);
    expect(shifted.ratio.low).toBeGreaterThan(1.05);
  });
});
