/**
 * The bar a comparison must clear, on synthetic runs whose truth is known: at the default threshold (5%) and
 * confidence (99%), with as many samples as the bench engine's adaptive rule would take, an A/A comparison
 * almost never reports a regression, a 10% slowdown is almost always reported, and a 10% speed-up never is.
 * Seeded, so every run of this file sees the same samples.
 */
import { describe, expect, it } from 'vitest';

import { compareSamples } from '../../src/compare/statistics/compare-samples.js';
import type { Verdict } from '../../src/compare/types.js';
import { relativePrecision } from '../../src/stats/median-precision.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

const defaults = { threshold: 0.05, confidence: 0.99 };

/** The engine's defaults: check the median's 99% interval at 30, 60, 120, ... samples until it is within 1%. */
const FIRST_CHECK = 30;
const CAP = 200_000;
const PRECISION = 0.01;

type Draw = () => number;

function standardNormal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** Candidates tried before a prime turns up: Geometric(p) on 1, 2, ... */
function geometric(next: () => number, p: number): number {
  return Math.floor(Math.log(1 - next()) / Math.log1p(-p)) + 1;
}

const families: Record<string, (next: () => number) => Draw> = {
  normal: (next) => () => 100 + 5 * standardNormal(next),
  'log-normal': (next) => () => 100 * Math.exp(0.3 * standardNormal(next)),
  // An RSA key: two prime searches of Geometric(1/150) candidates each, every candidate costing 1000 ns
  // with 3% noise of its own (summed over k candidates: 3% * sqrt(k)). CV of a key's time ~0.7.
  'rsa-like': (next) => () => rsaKeyTime(next, geometric(next, 1 / 150) + geometric(next, 1 / 150), 1),
};

function rsaKeyTime(next: () => number, candidates: number, slowdown: number): number {
  return 1000 * slowdown * (candidates + 0.03 * Math.sqrt(candidates) * standardNormal(next));
}

/** Samples as the adaptive rule would take them, for one side of a comparison. */
function sampleAdaptively(draw: Draw): Float64Array {
  let samples = new Float64Array(0);
  for (let n = FIRST_CHECK; ; n = Math.min(2 * n, CAP)) {
    const grown = new Float64Array(n);
    grown.set(samples);
    for (let i = samples.length; i < n; i++) grown[i] = draw();
    samples = grown;
    if (n >= CAP || relativePrecision(samples.slice().sort(), 0.99) <= PRECISION) return samples;
  }
}

function scaled(samples: Float64Array, factor: number): Float64Array {
  return samples.map((v) => v * factor);
}

interface Tally {
  /** A/A comparisons whose 99% ratio interval contains 1. */
  covered: number;
  same: Record<Verdict, number>;
  slower: Record<Verdict, number>;
  faster: Record<Verdict, number>;
}

const empty = (): Record<Verdict, number> => ({ improved: 0, regressed: 0, unchanged: 0, inconclusive: 0 });

/**
 * Each trial draws a baseline and a candidate run independently; the slowdown and speed-up scenarios scale
 * that same candidate run by 1.10 and 0.90. A scaled run is exactly a run of the scaled distribution (the
 * adaptive rule is scale-free), so each scenario is a faithful trial of its own; reusing the draw only ties
 * the scenarios of one trial together, which does not bias any one scenario's rate, and saves two draws.
 */
function tally(family: string, seed: number, trials: number): Tally {
  const next = seededRandom(seed);
  const draw = families[family]!(next);
  const result: Tally = { covered: 0, same: empty(), slower: empty(), faster: empty() };
  for (let t = 0; t < trials; t++) {
    const baseline = sampleAdaptively(draw);
    const candidate = sampleAdaptively(draw);
    const same = compareSamples(baseline, candidate, defaults);
    result.same[same.verdict]++;
    if (same.ratio.low <= 1 && 1 <= same.ratio.high) result.covered++;
    result.slower[compareSamples(baseline, scaled(candidate, 1.1), defaults).verdict]++;
    result.faster[compareSamples(baseline, scaled(candidate, 0.9), defaults).verdict]++;
  }
  return result;
}

function expectTheBar(result: Tally, trials: number): void {
  // The interval behind the verdicts keeps its 99% (three standard errors of the simulation allowed): a
  // verdict rule can hide a too-narrow interval behind the threshold, this cannot.
  expect(result.covered / trials).toBeGreaterThanOrEqual(0.99 - 3 * Math.sqrt((0.99 * 0.01) / trials));
  // A/A: at most 1% false regressions (and improvements).
  expect(result.same.regressed / trials).toBeLessThanOrEqual(0.01);
  expect(result.same.improved / trials).toBeLessThanOrEqual(0.01);
  // 10% slower: detected in at least 95% of trials.
  expect(result.slower.regressed / trials).toBeGreaterThanOrEqual(0.95);
  // 10% faster: never a regression, and mostly an improvement.
  expect(result.faster.regressed).toBe(0);
  expect(result.faster.improved / trials).toBeGreaterThanOrEqual(0.95);
}

describe('statistical validity at the default sample budget', () => {
  it('normal times (mean 100, CV 5%)', () => {
    const trials = 1000;
    expectTheBar(tally('normal', 101, trials), trials);
  });

  it('log-normal times (sigma 0.3)', () => {
    const trials = 300;
    expectTheBar(tally('log-normal', 102, trials), trials);
  });

  it('RSA-like heavy-tailed times (geometric prime searches)', () => {
    const trials = 40;
    expectTheBar(tally('rsa-like', 103, trials), trials);
  });
});

describe('paired comparison of seeded runs', () => {
  it('detects a 2% slowdown in 30 pairs that the same 30 vs 30 samples cannot show unpaired', () => {
    const next = seededRandom(104);
    const trials = 300;
    let pairedDetected = 0;
    let independentDetected = 0;
    for (let t = 0; t < trials; t++) {
      const baseline = new Float64Array(30);
      const candidate = new Float64Array(30);
      for (let i = 0; i < 30; i++) {
        // Seeded runs: sample i of both runs searched the same candidates for the same key.
        const candidates = geometric(next, 1 / 150) + geometric(next, 1 / 150);
        baseline[i] = rsaKeyTime(next, candidates, 1);
        candidate[i] = rsaKeyTime(next, candidates, 1.02);
      }
      if (compareSamples(baseline, candidate, { ...defaults, paired: true }).ratio.low > 1) pairedDetected++;
      if (compareSamples(baseline, candidate, defaults).ratio.low > 1) independentDetected++;
    }
    expect(pairedDetected / trials).toBeGreaterThanOrEqual(0.95);
    // Unpaired, a key's luck (CV ~0.7) swamps 2%: detections are as rare as the test's own error rate.
    expect(independentDetected / trials).toBeLessThanOrEqual(0.03);
  });
});
