/**
 * judgeAgainstHistory: Student's t prediction interval of past runs' log medians. The expected numbers are worked
 * out here from the medians (mean and standard deviation of their logs, a t quantile), once against SciPy's
 * t.ppf(0.995, 9), and the interval's calibration is checked by simulation: a run of unchanged code falls outside
 * it as often as the confidence says, no more.
 */
import { describe, expect, it } from 'vitest';

import { judgeAgainstHistory, minimumHistory } from '../../src/compare/statistics/history-limit.js';
import { normalQuantile, seededRandom, studentTCdf, studentTQuantile } from '../../src/stats/index.js';
import { lognormalMedians } from '../support/history-fixtures.js';

/** Mean and sample standard deviation of the logs, the textbook way. */
function logMoments(values: readonly number[]): { mean: number; sd: number } {
  const logs = values.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
  return { mean, sd };
}

/** Where a run of unchanged code falls (log scale, half-width) after `n` past runs with log spread `sd`. */
function predictionHalfWidth(n: number, sd: number, confidence: number): number {
  return studentTQuantile(1 - (1 - confidence) / 2, n - 1) * sd * Math.sqrt(1 + 1 / n);
}

// ec-p256 medians of twelve nightly runs: about 12 µs, 1.5% apart.
const nightly = lognormalMedians(7, 12, 12_000, 0.015);

describe('judgeAgainstHistory', () => {
  it('takes its numbers from the log medians: geometric mean, their spread and the t prediction interval', () => {
    const settings = { threshold: 0.02, confidence: 0.99 };
    const candidate = 12_500;
    const j = judgeAgainstHistory(nightly, candidate, settings);
    const { mean, sd } = logMoments(nightly);
    const half = predictionHalfWidth(12, sd, 0.99);
    const change = Math.log(candidate) - mean;

    expect(sd).toBeGreaterThan(0.008); // the fixture really is spread
    expect(j.method).toBe('history');
    expect(j.history!.runs).toBe(12);
    expect(j.history!.mean).toBeCloseTo(Math.exp(mean), 6);
    expect(j.history!.spread).toBeCloseTo(sd, 12);
    expect(j.history!.learnedThreshold).toBeCloseTo(Math.expm1(half), 12);
    expect(j.ratio.estimate).toBeCloseTo(candidate / Math.exp(mean), 12);
    expect(j.ratio.low).toBeCloseTo(Math.exp(change - half), 12);
    expect(j.ratio.high).toBeCloseTo(Math.exp(change + half), 12);
    expect(j.ratio.confidence).toBe(0.99);
    const t = change / (sd * Math.sqrt(1 + 1 / 12));
    expect(j.test.name).toBe('t');
    expect(j.test.statistic).toBeCloseTo(t, 10);
    expect(j.test.pValue).toBeCloseTo(2 * (1 - studentTCdf(Math.abs(t), 11)), 10);
    expect(j.baselineCount).toBe(12);
    expect(j.candidateCount).toBe(1);
    expect(j.blocks).toBeNull();
    expect(j.samplesToResolve).toBeNull();
  });

  it('uses the 99.5% point of t with 9 degrees of freedom for ten runs at 99% (SciPy: 3.2498355)', () => {
    // Ten medians whose logs sit 2% either side of log(12 µs): standard deviation 0.02·√(10/9).
    const ten = Array.from({ length: 10 }, (_, i) => 12_000 * Math.exp(i % 2 === 0 ? 0.02 : -0.02));
    const j = judgeAgainstHistory(ten, 12_000, { threshold: 0.01, confidence: 0.99 });
    const sd = 0.02 * Math.sqrt(10 / 9);
    expect(j.history!.spread).toBeCloseTo(sd, 14);
    expect(j.history!.mean).toBeCloseTo(12_000, 8);
    expect(Math.log1p(j.history!.learnedThreshold) / (sd * Math.sqrt(1.1))).toBeCloseTo(3.2498355, 6);
    // 3.25 · 0.0221 = 7.19% in log terms: the history's threshold beats the 1% setting.
    expect(j.history!.learnedThreshold).toBeCloseTo(Math.expm1(3.2498355 * sd * Math.sqrt(1.1)), 6);
    expect(j.history!.thresholdSource).toBe('history');
    expect(j.history!.threshold).toBe(j.history!.learnedThreshold);
    expect(j.verdict).toBe('unchanged');
  });

  it('does not care in which order the past runs come', () => {
    const shuffled = [...nightly].reverse();
    shuffled.push(shuffled.splice(3, 1)[0]!);
    const a = judgeAgainstHistory(nightly, 12_700, { threshold: 0.03, confidence: 0.99 });
    const b = judgeAgainstHistory(shuffled, 12_700, { threshold: 0.03, confidence: 0.99 });
    expect(b.history!.learnedThreshold).toBeCloseTo(a.history!.learnedThreshold, 12);
    expect(b.ratio.estimate).toBeCloseTo(a.ratio.estimate, 12);
    expect(b.verdict).toBe(a.verdict);
  });

  describe('verdicts: beyond the larger of what the history taught and the threshold', () => {
    const { mean, sd } = logMoments(nightly);
    const typical = Math.exp(mean);
    const half = predictionHalfWidth(12, sd, 0.99);

    it('with a threshold above the history\'s, gates at the threshold and says the threshold applied', () => {
      const settings = { threshold: 0.08, confidence: 0.99 };
      expect(half).toBeLessThan(Math.log1p(0.08)); // the setting is the larger
      expect(judgeAgainstHistory(nightly, typical * 1.081, settings).verdict).toBe('regressed');
      expect(judgeAgainstHistory(nightly, typical * 1.079, settings).verdict).toBe('unchanged');
      // Faster: by the same fraction of the time, 8% less (not 1/1.08).
      expect(judgeAgainstHistory(nightly, typical * 0.919, settings).verdict).toBe('improved');
      expect(judgeAgainstHistory(nightly, typical * 0.921, settings).verdict).toBe('unchanged');
      const j = judgeAgainstHistory(nightly, typical * 1.081, settings).history!;
      expect(j.thresholdSource).toBe('setting');
      expect(j.threshold).toBe(0.08);
      expect(j.learnedThreshold).toBeCloseTo(Math.expm1(half), 12);
    });

    it('with a threshold below the history\'s, gates only outside the prediction interval', () => {
      const settings = { threshold: 0.005, confidence: 0.99 };
      expect(half).toBeGreaterThan(Math.log1p(0.005) * 2);
      const inside = typical * Math.exp(half * 0.98);
      const outside = typical * Math.exp(half * 1.02);
      expect(judgeAgainstHistory(nightly, inside, settings).verdict).toBe('unchanged');
      expect(judgeAgainstHistory(nightly, outside, settings).verdict).toBe('regressed');
      expect(judgeAgainstHistory(nightly, typical * Math.exp(-half * 0.98), settings).verdict).toBe('unchanged');
      expect(judgeAgainstHistory(nightly, typical * Math.exp(-half * 1.02), settings).verdict).toBe('improved');
      const j = judgeAgainstHistory(nightly, outside, settings);
      expect(j.history!.thresholdSource).toBe('history');
      expect(j.history!.threshold).toBeCloseTo(Math.expm1(half), 12);
      // The interval is where a run of unchanged code would fall: 1 lies just outside it.
      expect(j.ratio.low).toBeGreaterThan(1);
      expect(j.ratio.low).toBeCloseTo(Math.exp(0.02 * half), 12);
    });

    it('widens with the confidence asked for', () => {
      const at99 = judgeAgainstHistory(nightly, typical, { threshold: 0.001, confidence: 0.99 }).history!.learnedThreshold;
      const at999 = judgeAgainstHistory(nightly, typical, { threshold: 0.001, confidence: 0.999 }).history!.learnedThreshold;
      expect(at999).toBeCloseTo(Math.expm1(predictionHalfWidth(12, sd, 0.999)), 12);
      expect(at999 / at99).toBeGreaterThan(1.3);
    });
  });

  it('learns a wide threshold from a history with a run 35% slow, so a +10% run does not gate; a tight history gates it', () => {
    const tight = lognormalMedians(11, 10, 12_000, 0.01);
    const withSlowRun = [...tight];
    withSlowRun[6] = withSlowRun[6]! * 1.35;
    const settings = { threshold: 0.05, confidence: 0.99 };
    const candidate = 12_000 * 1.1;

    const calm = judgeAgainstHistory(tight, candidate, settings);
    expect(calm.history!.thresholdSource).toBe('setting');
    expect(calm.history!.learnedThreshold).toBeLessThan(0.05);
    expect(calm.verdict).toBe('regressed');
    expect(judgeAgainstHistory(tight, 12_000 * 1.01, settings).verdict).toBe('unchanged');

    const noisy = judgeAgainstHistory(withSlowRun, candidate, settings);
    const { sd } = logMoments(withSlowRun);
    expect(noisy.history!.spread).toBeCloseTo(sd, 12);
    expect(noisy.history!.learnedThreshold).toBeCloseTo(Math.expm1(predictionHalfWidth(10, sd, 0.99)), 12);
    expect(noisy.history!.learnedThreshold).toBeGreaterThan(0.25);
    expect(noisy.history!.thresholdSource).toBe('history');
    expect(noisy.verdict).toBe('unchanged');
    // The slow run counts at its full weight: a trimmed spread would have dropped it.
    expect(noisy.history!.learnedThreshold).toBeGreaterThan(5 * calm.history!.learnedThreshold);
  });

  it('judges a history of identical medians by the threshold alone', () => {
    const flat = Array.from({ length: 6 }, () => 41_000);
    const same = judgeAgainstHistory(flat, 41_000, { threshold: 0.05, confidence: 0.99 });
    expect(same.verdict).toBe('unchanged');
    expect(same.test.statistic).toBe(0);
    expect(same.test.pValue).toBe(1);
    expect(same.history!.learnedThreshold).toBe(0);
    expect(same.history!.thresholdSource).toBe('setting');
    const slower = judgeAgainstHistory(flat, 41_000 * 1.06, { threshold: 0.05, confidence: 0.99 });
    expect(slower.verdict).toBe('regressed');
    expect(slower.test.statistic).toBe(Infinity);
    expect(slower.test.pValue).toBe(0);
    expect(judgeAgainstHistory(flat, 41_000 * 1.04, { threshold: 0.05, confidence: 0.99 }).verdict).toBe('unchanged');
    expect(judgeAgainstHistory(flat, 41_000 * 0.94, { threshold: 0.05, confidence: 0.99 }).test.statistic).toBe(-Infinity);
  });

  it(`needs ${minimumHistory} finite positive past medians and a finite positive candidate`, () => {
    const settings = { threshold: 0.05, confidence: 0.99 };
    expect(minimumHistory).toBe(5);
    expect(() => judgeAgainstHistory(nightly.slice(0, 4), 12_000, settings)).toThrow(RangeError);
    expect(() => judgeAgainstHistory(nightly.slice(0, 5), 12_000, settings)).not.toThrow();
    expect(() => judgeAgainstHistory([...nightly.slice(0, 5), 0], 12_000, settings)).toThrow(RangeError);
    expect(() => judgeAgainstHistory([...nightly.slice(0, 5), Number.NaN], 12_000, settings)).toThrow(RangeError);
    expect(() => judgeAgainstHistory(nightly, Infinity, settings)).toThrow(RangeError);
    expect(() => judgeAgainstHistory(nightly, -1, settings)).toThrow(RangeError);
  });

  it('is calibrated: unchanged code falls outside the 90% interval about 10% of the time, half each way', () => {
    // Ten past runs and one more, all from the same lognormal; the threshold floor off (0) so only the interval judges.
    const random = seededRandom(2024);
    const normal = () => normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, random())));
    const trials = 4000;
    let regressed = 0;
    let improved = 0;
    for (let i = 0; i < trials; i++) {
      const past = Array.from({ length: 10 }, () => 12_000 * Math.exp(0.02 * normal()));
      const verdict = judgeAgainstHistory(past, 12_000 * Math.exp(0.02 * normal()), { threshold: 0, confidence: 0.9 }).verdict;
      if (verdict === 'regressed') regressed++;
      if (verdict === 'improved') improved++;
    }
    // Expected 5% each way (sd of the rate 0.34%); an interval for the mean alone (s/√n) would miss about 60%.
    expect(regressed / trials).toBeGreaterThan(0.035);
    expect(regressed / trials).toBeLessThan(0.065);
    expect(improved / trials).toBeGreaterThan(0.035);
    expect(improved / trials).toBeLessThan(0.065);
  });
});
