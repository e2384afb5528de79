import { DuckDBInstance } from '@duckdb/node-api';
import * as hdr from 'hdr-histogram-js';
import { expect, it } from 'vitest';

import {
  caseSignificantDigits,
  hdrHighestEquivalent,
  hdrLowestEquivalent,
  hdrLowestEquivalentSql,
  hdrShiftSql,
  latencySignificantBits,
  latencySignificantDigits,
  significantBits,
  type SignificantDigits,
} from '../../src/stats/hdr-buckets.js';
import { hdrPercentiles } from '../../src/stats/hdr-counts.js';
import { decodeHistogram, encodeBucketCounts } from '../../src/stats/histogram.js';

/** Integers across the range durations take: every value up to 4096, and each power of two ± 0..2 up to 2^47. */
const values = [
  ...Array.from({ length: 4096 }, (_, i) => i + 1),
  ...Array.from({ length: 36 }, (_, i) => 2 ** (i + 12)).flatMap((p) => [p - 2, p - 1, p, p + 1, p + 2]),
  ...Array.from({ length: 2000 }, (_, i) => Math.floor(1.0137 ** i * 4099)),
].filter((value) => value < 2 ** 47);

function library(digits: SignificantDigits): hdr.Histogram {
  return hdr.build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: digits, useWebAssembly: false });
}

it('keeps as many bits as hdr-histogram-js does for each precision', () => {
  for (const digits of [1, 2, 3, 4, 5] as const) {
    const histogram = library(digits) as unknown as { subBucketCount: number };
    expect(2 ** significantBits(digits)).toBe(histogram.subBucketCount);
  }
  expect(latencySignificantBits).toBe(8);
  expect([caseSignificantDigits, latencySignificantDigits]).toEqual([3, 2]);
});

it('rounds to the bucket ends hdr-histogram-js uses at the latency precision', () => {
  const histogram = library(latencySignificantDigits) as unknown as { lowestEquivalentValue(v: number): number; highestEquivalentValue(v: number): number };
  for (const value of values) {
    expect(hdrLowestEquivalent(value)).toBe(histogram.lowestEquivalentValue(value));
    expect(hdrHighestEquivalent(value)).toBe(histogram.highestEquivalentValue(value));
  }
});

it('rounds in SQL exactly as in TypeScript', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const sql = `
      SELECT v, ${hdrLowestEquivalentSql('v', 'shift')} AS value
        FROM (SELECT v, ${hdrShiftSql('v')} AS shift FROM (SELECT unnest($1::BIGINT[]) AS v))`;
    const rows = (await connection.runAndReadAll(sql, [`[${values.join(',')}]`])).getRowsJS();
    expect(rows.length).toBe(values.length);
    for (const [v, value] of rows) expect(Number(value)).toBe(hdrLowestEquivalent(Number(v)));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
});

it('encodes bucket counts as a histogram with the same percentiles', () => {
  const counts = values.slice(4000, 4200).map((value, i) => ({ value: hdrLowestEquivalent(value), count: 1 + (i % 5) }));
  const decoded = decodeHistogram(encodeBucketCounts(counts, Math.max(...counts.map((c) => c.value))));
  const percentiles = [0, 50, 90, 99, 99.9, 100];
  expect(percentiles.map((p) => decoded.getValueAtPercentile(p))).toEqual(hdrPercentiles(counts, percentiles));
});
