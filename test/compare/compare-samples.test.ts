import { describe, expect, it } from 'vitest';

import { compareSamples } from '../../src/compare/statistics/compare-samples.js';
import { decideVerdict, samplesToResolve } from '../../src/compare/statistics/verdict.js';
import { ErrorCodes, InvalidArgumentError } from '../../src/core/errors.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

const defaults = { threshold: 0.05, confidence: 0.99 };

function logNormal(next: () => number, count: number, scale = 1, sigma = 0.3): Float64Array {
  return Float64Array.from({ length: count }, () => 1000 * scale * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())));
}

function expectInvalid(call: () => unknown, pattern: RegExp): void {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).code).toBe(ErrorCodes.invalidOption);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('\n');
    return;
  }
  throw new Error('expected compareSamples to throw');
}

describe('compareSamples', () => {
  it('refuses samples it cannot compare, naming the problem', () => {
    const good = Float64Array.of(1, 2, 3);
    expectInvalid(() => compareSamples(Float64Array.of(1), good, defaults), /baseline has 1 sample/);
    expectInvalid(() => compareSamples(good, new Float64Array(0), defaults), /candidate has 0 sample/);
    expectInvalid(() => compareSamples(good, Float64Array.of(1, Number.NaN), defaults), /candidate sample 1 is NaN/);
    expectInvalid(() => compareSamples(Float64Array.of(0, 1), good, defaults), /baseline sample 0 is 0/);
    expectInvalid(() => compareSamples(Float64Array.of(1, -2), good, defaults), /baseline sample 1 is -2/);
    expectInvalid(() => compareSamples(good, Float64Array.of(1, Number.POSITIVE_INFINITY), defaults), /candidate sample 1 is Infinity/);
    expectInvalid(() => compareSamples([1, 2] as unknown as Float64Array, good, defaults), /baseline samples must be a Float64Array/);
    expectInvalid(() => compareSamples(good, good, { threshold: 1.5, confidence: 0.99 }), /threshold/);
    expectInvalid(() => compareSamples(good, good, { threshold: 0.05, confidence: 1 }), /confidence/);
  });

  it('leaves its inputs as they were', () => {
    const next = seededRandom(51);
    const baseline = logNormal(next, 500);
    const candidate = logNormal(next, 400, 1.1);
    const before = [baseline.slice(), candidate.slice()];
    compareSamples(baseline, candidate, defaults);
    compareSamples(baseline, candidate, { ...defaults, paired: true });
    expect(baseline).toEqual(before[0]);
    expect(candidate).toEqual(before[1]);
  });

  it('finds a clear regression between independent runs', () => {
    const next = seededRandom(52);
    const result = compareSamples(logNormal(next, 300), logNormal(next, 250, 1.2), defaults);
    expect(result.method).toBe('hodges-lehmann');
    expect(result.verdict).toBe('regressed');
    expect(result.ratio.estimate).toBeGreaterThan(1.1);
    expect(result.ratio.low).toBeGreaterThan(1);
    expect(result.test.name).toBe('mann-whitney');
    expect(result.test.z).toBeGreaterThan(0);
    expect(result.samplesToResolve).toBeNull();
    expect(result.baselineCount).toBe(300);
    expect(result.candidateCount).toBe(250);
    // 250 samples give a p90 interval, not a p99 one.
    expect(result.tails.p90).not.toBeNull();
    expect(result.tails.p99).toBeNull();
    expect(result.verdict).toBe(decideVerdict(result.ratio, 0.05));
  });

  it('calls a same-distribution pair unchanged once there are enough samples', () => {
    const next = seededRandom(53);
    const result = compareSamples(logNormal(next, 20_000), logNormal(next, 20_000), defaults);
    expect(result.verdict).toBe('unchanged');
    expect(result.tails.p99).not.toBeNull();
    expect(result.tails.p99!.low).toBeLessThan(1);
    expect(result.tails.p99!.high).toBeGreaterThan(1);
  });

  it('says how many samples would narrow an inconclusive interval enough', () => {
    const next = seededRandom(54);
    const baseline = logNormal(next, 40);
    // The same values in another order: the estimate is exactly 1, the interval too wide for the 5% band.
    const result = compareSamples(baseline, baseline.slice().reverse(), defaults);
    expect(result.ratio.estimate).toBe(1);
    expect(result.verdict).toBe('inconclusive');
    expect(result.samplesToResolve).toBe(samplesToResolve(result.ratio, 0.05, 40));
    // At the advised size the interval's half-width comes out near log(1.05), the room the band leaves.
    const advised = result.samplesToResolve!;
    expect(advised).toBeGreaterThan(200);
    const fresh = compareSamples(logNormal(next, advised), logNormal(next, advised), defaults);
    const halfWidth = Math.log(fresh.ratio.high / fresh.ratio.low) / 2;
    expect(halfWidth / Math.log(1.05)).toBeGreaterThan(0.8);
    expect(halfWidth / Math.log(1.05)).toBeLessThan(1.3);
  });

  it('gives an unbounded interval, not an error, when the samples are too few for the confidence', () => {
    const result = compareSamples(Float64Array.of(100, 110, 120), Float64Array.of(101, 111, 125), defaults);
    expect(result.ratio.low).toBe(0);
    expect(result.ratio.high).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(result.ratio.estimate)).toBe(true);
    expect(result.verdict).toBe('inconclusive');
    // At least the smallest run with a 99% interval (5 a side), and more for this spread.
    expect(result.samplesToResolve).toBeGreaterThanOrEqual(5);
    expect(result.tails).toEqual({ p90: null, p99: null });

    const paired = compareSamples(Float64Array.of(100, 110, 120), Float64Array.of(101, 111, 125), { ...defaults, paired: true });
    expect(paired.ratio.high).toBe(Number.POSITIVE_INFINITY);
    expect(paired.verdict).toBe('inconclusive');
    // The sign test needs 2 * 0.5^n <= 1%: 8 pairs.
    expect(paired.samplesToResolve).toBeGreaterThanOrEqual(8);

    const identical = compareSamples(Float64Array.of(5, 5), Float64Array.of(5, 5), defaults);
    expect(identical.samplesToResolve).toBe(5);
  });

  it('compares seeded runs pair by pair', () => {
    const next = seededRandom(55);
    const keys = logNormal(next, 60, 1, 1);
    const baseline = keys.map((k) => k * (1 + 0.002 * (next() - 0.5)));
    const candidate = keys.map((k) => k * 1.08 * (1 + 0.002 * (next() - 0.5)));
    const paired = compareSamples(baseline, candidate, { ...defaults, paired: true });
    expect(paired.method).toBe('paired');
    expect(paired.test.name).toBe('sign');
    expect(paired.verdict).toBe('regressed');
    // The same samples as independent runs: the key-to-key spread hides the change.
    expect(compareSamples(baseline, candidate, defaults).verdict).toBe('inconclusive');
  });
});
