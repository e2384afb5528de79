import { expect, it } from 'vitest';

import { decodeHistogram, encodeHistogram } from '../../src/stats/histogram.js';
import { summarize } from '../../src/model/summarize.js';

it('summarises a known series', () => {
  const values = Array.from({ length: 101 }, (_, i) => i + 1); // 1..101
  const s = summarize(values);
  expect(s).toMatchObject({ count: 101, min: 1, max: 101, mean: 51, median: 51, p90: 91, p99: 100, mad: 25 });
  expect(s.stddev).toBeCloseTo(29.3, 1);
  expect(s.outliers).toEqual({ low: 0, high: 0 });
  expect(s.medianInterval.low).toBeLessThan(51);
  expect(s.medianInterval.high).toBeGreaterThan(51);
});

it('counts Tukey outliers on both sides', () => {
  const values = [...Array.from({ length: 100 }, (_, i) => 100 + (i % 10)), 1, 2, 500, 600, 700];
  expect(summarize(values).outliers).toEqual({ low: 2, high: 3 });
});

it('refuses an empty series', () => {
  expect(() => summarize([])).toThrow(RangeError);
});

it('encodes an HDR histogram that decodes to the same distribution (3 significant digits)', () => {
  const values = Array.from({ length: 10_000 }, (_, i) => 10_000 + (i % 1000) * 7);
  const histogram = decodeHistogram(encodeHistogram(values));
  expect(histogram.totalCount).toBe(10_000);
  const exactMedian = summarize(values).median;
  expect(Math.abs(histogram.getValueAtPercentile(50) - exactMedian) / exactMedian).toBeLessThan(0.001);
  expect(histogram.maxValue).toBeGreaterThanOrEqual(16_993 * 0.999);
});
