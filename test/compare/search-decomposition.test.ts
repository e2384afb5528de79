/**
 * The split of an RSA case's mean time per key into mean candidates per key and pooled time per candidate:
 * exact on any data, each factor's interval right where the answer is known, and honest (it covers the truth
 * about 95 times in 100) where it is not.
 */
import { describe, expect, it } from 'vitest';

import { decomposeSearch, type SearchSample } from '../../src/compare/statistics/index.js';
import { seededRandom } from '../../src/stats/index.js';

const settings = { confidence: 0.95 };
/** Prime candidates of eight RSA-2048 keys, in the range a real run shows (315 to 1,784). */
const luck = [315, 812, 1_520, 447, 1_184, 623, 951, 1_784];
const mean = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0) / values.length;
const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

/** Keys whose every candidate costs `nsPerCandidate`. */
function keys(candidates: number[], nsPerCandidate: number): SearchSample {
  return { candidates: Float64Array.from(candidates), ns: Float64Array.from(candidates, (c) => c * nsPerCandidate) };
}

/** Geometric-like counts of candidates (mean about `mean`) and a cost per candidate that varies ±10% key to key. */
function simulated(random: () => number, count: number, meanCandidates: number, nsPerCandidate: number): { candidates: Float64Array; ns: Float64Array } {
  const candidates = Float64Array.from({ length: count }, () => Math.max(1, Math.round(-meanCandidates * Math.log(1 - random()))));
  const ns = candidates.map((c) => c * nsPerCandidate * Math.exp(0.1 * (random() + random() + random() - 1.5)));
  return { candidates, ns };
}

describe('decomposeSearch', () => {
  it('splits the ratio of mean times per key exactly into the two factors, on any data', () => {
    const random = seededRandom(3);
    const baseline = simulated(random, 37, 700, 180_000);
    const candidate = simulated(random, 52, 900, 150_000);
    const { perKey, candidatesPerKey, perCandidate } = decomposeSearch(baseline, candidate, settings);
    expect(perKey.estimate).toBeCloseTo(mean(candidate.ns) / mean(baseline.ns), 12);
    expect(candidatesPerKey.estimate).toBeCloseTo(mean(candidate.candidates) / mean(baseline.candidates), 12);
    expect(perCandidate.estimate).toBeCloseTo(sum(candidate.ns) / sum(candidate.candidates) / (sum(baseline.ns) / sum(baseline.candidates)), 12);
    expect(perKey.estimate).toBeCloseTo(candidatesPerKey.estimate * perCandidate.estimate, 12);
  });

  it('puts a change of cost per candidate wholly in time per candidate, with no doubt about it', () => {
    // The same searches, each candidate 13% dearer: every resample of keys says exactly 1.13 per candidate.
    const result = decomposeSearch(keys(luck, 200_000), keys(luck, 226_000), settings);
    expect(result.perKey.estimate).toBeCloseTo(1.13, 12);
    expect(result.perCandidate.estimate).toBeCloseTo(1.13, 12);
    expect(result.perCandidate.low).toBeCloseTo(1.13, 12);
    expect(result.perCandidate.high).toBeCloseTo(1.13, 12);
    expect(result.candidatesPerKey.estimate).toBeCloseTo(1, 12);
    // Unpaired, each side's keys are resampled on their own: eight keys of luck leave the candidates wide open.
    expect(result.candidatesPerKey.low).toBeLessThan(0.8);
    expect(result.candidatesPerKey.high).toBeGreaterThan(1.25);
    expect(result.resampled).toBe('keys');
  });

  it('puts more candidates at the same cost wholly in candidates per key', () => {
    const result = decomposeSearch(keys(luck, 200_000), keys(luck.map((c) => c * 1.25), 200_000), settings);
    expect(result.candidatesPerKey.estimate).toBeCloseTo(1.25, 12);
    expect(result.perCandidate.estimate).toBeCloseTo(1, 12);
    expect(result.perCandidate.low).toBeCloseTo(1, 12);
    expect(result.perCandidate.high).toBeCloseTo(1, 12);
    expect(result.perKey.estimate).toBeCloseTo(1.25, 12);
  });

  it('pairs the same keys: their candidates cancel exactly, and the change is measured key against key', () => {
    const random = seededRandom(11);
    const baseline = simulated(random, 30, 700, 200_000);
    const candidate = { candidates: baseline.candidates, ns: baseline.ns.map((v) => v * 1.1 * (1 + 0.01 * (random() - 0.5))) };
    const blocks = Array.from({ length: 10 }, () => 3);
    const paired = decomposeSearch({ ...baseline, blocks }, { ...candidate, blocks }, { ...settings, paired: true });
    expect(paired.candidatesPerKey).toEqual({ estimate: 1, low: 1, high: 1, confidence: 0.95 });
    expect(paired.perCandidate.low).toBeGreaterThan(1.09);
    expect(paired.perCandidate.high).toBeLessThan(1.11);
    expect(paired.resampled).toBe('blocks');
    // The same data unpaired: the keys' luck no longer cancels, and the candidates' interval is wide.
    const unpaired = decomposeSearch(baseline, candidate, settings);
    expect(unpaired.candidatesPerKey.high - unpaired.candidatesPerKey.low).toBeGreaterThan(0.3);
  });

  it('covers the truth about 95 times in 100 where both factors did not change', () => {
    const random = seededRandom(2026);
    const trials = 400;
    let candidatesCovered = 0;
    let perCandidateCovered = 0;
    for (let t = 0; t < trials; t++) {
      const result = decomposeSearch(simulated(random, 40, 700, 200_000), simulated(random, 40, 700, 200_000), { ...settings, resamples: 1000, seed: t });
      if (result.candidatesPerKey.low <= 1 && result.candidatesPerKey.high >= 1) candidatesCovered++;
      if (result.perCandidate.low <= 1 && result.perCandidate.high >= 1) perCandidateCovered++;
    }
    // A percentile bootstrap of 40 skewed keys runs a little short of 95% (93.5% over 1,000 such pairs); well
    // below 89% would be a wrong interval, near 100% a needlessly wide one.
    expect(candidatesCovered / trials).toBeGreaterThan(0.89);
    expect(candidatesCovered / trials).toBeLessThan(0.98);
    expect(perCandidateCovered / trials).toBeGreaterThan(0.89);
    expect(perCandidateCovered / trials).toBeLessThan(0.98);
  });

  it('resamples whole blocks when there are enough, so a slow stretch of a run widens the interval', () => {
    const random = seededRandom(5);
    const baseline = simulated(random, 80, 700, 200_000);
    const candidate = simulated(random, 80, 700, 200_000);
    // Half the candidate's blocks ran on a vCPU 30% slower: a block-level effect that keys alone do not show.
    const blocks = Array.from({ length: 16 }, () => 5);
    const slowed = { ...candidate, ns: candidate.ns.map((v, i) => (Math.floor(i / 5) % 2 === 1 ? v * 1.3 : v)) };
    const byBlock = decomposeSearch({ ...baseline, blocks }, { ...slowed, blocks }, settings);
    const byKey = decomposeSearch(baseline, slowed, settings);
    expect(byBlock.resampled).toBe('blocks');
    expect(byKey.resampled).toBe('keys');
    expect(byBlock.perCandidate.estimate).toBeCloseTo(byKey.perCandidate.estimate, 12);
    expect(byBlock.perCandidate.high - byBlock.perCandidate.low).toBeGreaterThan(1.2 * (byKey.perCandidate.high - byKey.perCandidate.low));
    // Too few blocks to resample: keys are.
    const few = Array.from({ length: 4 }, () => 20);
    expect(decomposeSearch({ ...baseline, blocks: few }, { ...slowed, blocks: few }, settings).resampled).toBe('keys');
  });

  it('gives the same intervals for the same runs, and refuses what it cannot decompose', () => {
    const baseline = keys(luck, 200_000);
    const candidate = { ...keys(luck, 210_000), ns: Float64Array.from(luck, (c, i) => c * 210_000 * (1 + 0.02 * (i % 3))) };
    expect(decomposeSearch(baseline, candidate, settings)).toEqual(decomposeSearch(baseline, candidate, settings));
    expect(() => decomposeSearch(baseline, { ns: new Float64Array([1, 2]), candidates: new Float64Array([1]) }, settings)).toThrow(/candidate count for each/);
    expect(() => decomposeSearch(baseline, { ns: new Float64Array([1, 2]), candidates: new Float64Array([1, 0]) }, settings)).toThrow(/not positive/);
    expect(() => decomposeSearch({ ...baseline, blocks: [4, 4] }, { ...candidate, blocks: [5, 3] }, { ...settings, paired: true })).toThrow(/same keys/);
    expect(() => decomposeSearch({ ...baseline, blocks: [4, 3] }, candidate, settings)).toThrow(/blocks hold 7 keys/);
  });
});
