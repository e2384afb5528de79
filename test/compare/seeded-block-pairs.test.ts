import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { compareCase } from '../../src/compare/compare-runs.js';
import { compareSamples } from '../../src/compare/index.js';
import { compareSeededBlockPairs, seededKeyPairs } from '../../src/compare/statistics/index.js';
import type { CaseBlock, CompletedCase } from '../../src/model/index.js';
import { seededRandom } from '../../src/stats/index.js';
import { caseNamed, runPair } from '../support/compare-fixtures.js';

interface SeededSide {
  ns: Float64Array;
  candidates: Float64Array;
  blocks: CaseBlock[];
}

/**
 * Two seeded RSA runs laid out by block, 20 blocks on alternating CPUs: block p of both timed keys p × stride + j,
 * whose luck (prime candidates searched: 300 to 1,800, as measured for rsa-2048) they share. Each side takes 1-3
 * keys a block (its own budget), each block runs at its own speed (±3%: the noise between blocks), and `spell`
 * slows the baseline's blocks 4-6 by 25% (a vCPU's slow spell).
 */
function seededRuns(change: number, seed: number, spell = false): { baseline: SeededSide; candidate: SeededSide } {
  const random = seededRandom(seed);
  const make = (): SeededSide & { parts: { ns: number[]; candidates: number[] } } => ({ ns: new Float64Array(), candidates: new Float64Array(), blocks: [], parts: { ns: [], candidates: [] } });
  const a = make();
  const b = make();
  for (let p = 0; p < 20; p++) {
    const luck = Array.from({ length: 3 }, () => Math.round(300 + 1500 * random() ** 2));
    for (const [side, factor] of [[a, spell && p >= 4 && p <= 6 ? 1.25 : 1], [b, 1 + change]] as const) {
      const keys = 1 + Math.floor(3 * random());
      const speed = factor * (1 + 0.06 * (random() - 0.5));
      for (let j = 0; j < keys; j++) {
        side.parts.candidates.push(luck[j]!);
        side.parts.ns.push(luck[j]! * 200_000 * speed * (1 + 0.01 * (random() - 0.5)));
      }
      side.blocks.push({ samples: keys, cpu: p % 2 });
    }
  }
  const done = (s: typeof a): SeededSide => ({ ns: Float64Array.from(s.parts.ns), candidates: Float64Array.from(s.parts.candidates), blocks: s.blocks });
  return { baseline: done(a), candidate: done(b) };
}

const settings = { threshold: 0.05, confidence: 0.99 };

describe('compareSeededBlockPairs (seeded runs laid out by block)', () => {
  it('pairs block p of each side on its first min(n) keys', () => {
    const pairs = seededKeyPairs(
      [{ samples: 2, cpu: 0 }, { samples: 1, cpu: 1 }, { samples: 3, cpu: 0 }],
      [{ samples: 1, cpu: 0 }, { samples: 3, cpu: 1 }, { samples: 2, cpu: 0 }],
    );
    expect(pairs).toEqual([
      { baselineOffset: 0, candidateOffset: 0, keys: 1 },
      { baselineOffset: 2, candidateOffset: 1, keys: 1 },
      { baselineOffset: 3, candidateOffset: 4, keys: 2 },
    ]);
  });

  it('finds a 10% slowdown in RSA keys whose time varies six-fold with their luck; unpaired blocks cannot', () => {
    const { baseline, candidate } = seededRuns(0.1, 1);
    const blocks = { baseline: baseline.blocks, candidate: candidate.blocks };
    const paired = compareSamples(baseline.ns, candidate.ns, { ...settings, blocks, seededBlocks: true });
    expect(paired.method).toBe('seeded-blocks');
    expect(paired.ratio.estimate).toBeGreaterThan(1.08);
    expect(paired.ratio.estimate).toBeLessThan(1.12);
    expect(paired.verdict).toBe('regressed');
    expect(paired.unstable).toBe(false);
    const unpaired = compareSamples(baseline.ns, candidate.ns, { ...settings, blocks });
    expect(unpaired.method).toBe('blocks');
    expect(unpaired.verdict).not.toBe('regressed');
    expect(unpaired.unstable).toBe(true);
  });

  it('keeps the noise between blocks in the interval: a slow spell in three baseline blocks is no change', () => {
    for (const seed of [2, 3, 4, 5]) {
      const { baseline, candidate } = seededRuns(0, seed, true);
      const pairs = compareSeededBlockPairs({ samples: baseline.ns, blocks: baseline.blocks }, { samples: candidate.ns, blocks: candidate.blocks }, 0.99)!;
      expect(pairs.ratio.low).toBeLessThan(1);
      expect(pairs.ratio.high).toBeGreaterThan(1);
      expect(pairs.degreesOfFreedom).toBe(20 - 2 * 4 - 1);
    }
  });

  it('is null where block p of each side ran on different CPUs, and compareSamples then compares the blocks unpaired', () => {
    const { baseline, candidate } = seededRuns(0.1, 6);
    const moved = candidate.blocks.map((b) => ({ ...b, cpu: b.cpu === 0 ? 1 : 0 }));
    expect(compareSeededBlockPairs({ samples: baseline.ns, blocks: baseline.blocks }, { samples: candidate.ns, blocks: moved }, 0.99)).toBeNull();
    const judged = compareSamples(baseline.ns, candidate.ns, { ...settings, blocks: { baseline: baseline.blocks, candidate: moved }, seededBlocks: true });
    expect(judged.method).toBe('blocks');
  });
});

describe('compareCase on seeded cases', () => {
  const rsa = caseNamed(runPair().baseline, 'rsa-2048') as CompletedCase;
  const seededCase = (side: SeededSide, parameters: CompletedCase['parameters']): CompletedCase => ({
    ...rsa,
    parameters,
    samples: { ns: side.ns, cycles: null, candidates: side.candidates },
    blocks: side.blocks,
  });
  const laidOut = { seed: 7, seedBlockStride: 2 ** 32 };
  const judge = (baseline: CompletedCase, candidate: CompletedCase) => {
    const c = compareCase(baseline, candidate, settings);
    if (c.state !== 'compared') throw new Error(`not compared: ${c.reason}`);
    return c;
  };

  it('pairs blocks and keys when both runs lay their seeded keys out by block, and says where a key searched differently', () => {
    const { baseline, candidate } = seededRuns(0.1, 7);
    const c = judge(seededCase(baseline, laidOut), seededCase(candidate, laidOut));
    expect(c.time.method).toBe('seeded-blocks');
    expect(c.perCandidate!.method).toBe('seeded-blocks');
    expect(c.verdict).toBe('regressed');
    expect(c.notes).toEqual([]);
    const searched = Float64Array.from(candidate.candidates);
    const third = candidate.blocks[0]!.samples + candidate.blocks[1]!.samples;
    searched[third] = searched[third]! + 1;
    const changed = judge(seededCase(baseline, laidOut), seededCase({ ...candidate, candidates: searched }, laidOut));
    expect(changed.notes.join(' ')).toMatch(/different numbers of prime candidates from block 3, key 1/);
  });

  it('compares runs whose seeded keys ran on across blocks (before the layout) as unpaired blocks, and says so', () => {
    const { baseline, candidate } = seededRuns(0.1, 8);
    const c = judge(seededCase(baseline, { seed: 7 }), seededCase(candidate, laidOut));
    expect(c.time.method).toBe('blocks');
    expect(c.notes.join(' ')).toMatch(/seeded keys not laid out by block in both runs/);
  });
});

describe('seeded RSA-2048 runs from real runs (test/fixtures/seeded)', () => {
  interface SlimSide {
    parameters: CompletedCase['parameters'];
    blocks: CaseBlock[];
    ns: number[];
    candidates: number[];
  }
  const pairs = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/seeded/rsa-2048-pairs-2026-12-07.json', import.meta.url)), 'utf8')) as Record<'ab' | 'aa' | 'aaBeforeLayout', { baseline: SlimSide; candidate: SlimSide }>;
  const rsa = caseNamed(runPair().baseline, 'rsa-2048');
  const real = (side: SlimSide): CompletedCase => ({
    ...rsa,
    parameters: side.parameters,
    samples: { ns: Float64Array.from(side.ns), cycles: null, candidates: Float64Array.from(side.candidates) },
    blocks: side.blocks,
  });
  // The seeded suite's run shares its 99% among its 3 cases, as compareRuns does.
  const runSettings = { threshold: 0.05, confidence: 1 - 0.01 / 3 };
  const judge = (pair: { baseline: SlimSide; candidate: SlimSide }) => {
    const c = compareCase(real(pair.baseline), real(pair.candidate), runSettings);
    if (c.state !== 'compared') throw new Error(`not compared: ${c.reason}`);
    return c;
  };

  it('finds the 10% handicap of a real pair of seeded runs, on about 20 keys a side, and reads it as about 10%', () => {
    const c = judge(pairs.ab);
    expect(c.time.method).toBe('seeded-blocks');
    expect(c.verdict).toBe('regressed');
    expect(c.time.ratio.estimate).toBeGreaterThan(1.05);
    expect(c.time.ratio.estimate).toBeLessThan(1.15);
    // Block p's keys searched the same candidates on both sides: the luck is the same key for key.
    expect(c.notes).toEqual([]);
  });

  it('keeps "no change" inside the interval of a real A/A pair', () => {
    const c = judge(pairs.aa);
    expect(c.time.ratio.low).toBeLessThan(1);
    expect(c.time.ratio.high).toBeGreaterThan(1);
    expect(c.verdict).not.toBe('regressed');
  });

  it('shows why key by key over whole runs was wrong: an A/A pair from before the layout called a regression', () => {
    const { baseline, candidate } = pairs.aaBeforeLayout;
    // What compare did before: key i with key i across the runs, the sign-test interval of the median ratio.
    const keyByKey = compareSamples(Float64Array.from(baseline.ns), Float64Array.from(candidate.ns), { ...runSettings, confidence: 1 - 0.01 / 6, paired: true });
    expect(keyByKey.verdict).toBe('regressed');
    // Now: those runs numbered keys across blocks, so they are compared as unpaired blocks, and do not gate.
    const c = judge(pairs.aaBeforeLayout);
    expect(c.time.method).toBe('blocks');
    expect(c.verdict).not.toBe('regressed');
    expect(c.notes.join(' ')).toMatch(/not laid out by block/);
  });
});
