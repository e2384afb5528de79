import { describe, expect, it } from 'vitest';

import { scoreSeries } from '../../src/monitor/alerts/anomaly-detection.js';
import { median } from '../../src/stats/index.js';

/** A deterministic "noisy" series: 100 ± up to 3, no pattern a detector could learn. */
const noise = Array.from({ length: 40 }, (_, i) => 100 + (((i * 37) % 7) - 3));

describe('scoreSeries (both detectors)', () => {
  const options = { zThreshold: 4, minHistory: 20, alpha: 0.3, minScale: () => 1 };

  it('fires on a planted spike, with both detectors', () => {
    const verdict = scoreSeries(noise, 150, options);
    expect(verdict?.fired).toBe(true);
    expect(verdict?.detectors.map((d) => [d.detector, d.fired])).toEqual([
      ['robust-z', true],
      ['ewma', true],
    ]);
    expect(verdict?.detectors[0]?.baseline).toBe(median(noise));
  });

  it('is quiet on noise alone', () => {
    for (const value of noise) expect(scoreSeries(noise, value, options)?.fired).toBe(false);
  });

  it('is quiet below minHistory, whatever the value', () => {
    expect(scoreSeries(noise.slice(0, 19), 1e9, options)).toBeNull();
    expect(scoreSeries(noise.slice(0, 20), 1e9, options)?.fired).toBe(true);
  });

  it('lets the EWMA follow a level shift that the median of the whole history has not caught up with', () => {
    // 30 buckets at ~100, then 12 at ~200: the median is still ~100, the EWMA has moved to ~200.
    const shifted = [...noise.slice(0, 30), ...noise.slice(0, 12).map((x) => x + 100)];
    const verdict = scoreSeries(shifted, 201, options)!;
    expect(verdict.detectors.find((d) => d.detector === 'robust-z')?.fired).toBe(true);
    expect(verdict.detectors.find((d) => d.detector === 'ewma')?.fired).toBe(false);
  });
});
