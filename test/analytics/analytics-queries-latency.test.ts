import * as hdr from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hdrLowestEquivalent } from '../../src/stats/hdr-buckets.js';
import { hdrPercentiles } from '../../src/stats/hdr-counts.js';
import { latencyOverTime, successRate } from '../../src/analytics/query/index.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import { type FixtureDatabase, type FixtureEvent, insertEvents, openFixtureDatabase } from '../support/analytics-query-fixtures.js';

const H0 = Date.UTC(2025, 0, 1, 10);
const hour = 3_600_000;

const timing = (time: number, algorithm: string, api: string, durationNs: number, outcome: 'ok' | 'error' = 'ok'): FixtureEvent => ({
  time,
  type: 'keygen.timing',
  operation: api,
  algorithm,
  outcome,
  durationNs,
  properties: { implementation: 'keyscope', cycles: null },
});

const bucket0 = [100, 200, 300, 400, 50_000];
const events: FixtureEvent[] = [
  ...bucket0.map((ns, i) => timing(H0 + i * 1000, 'ed25519', 'generateKeyPairSync', ns)),
  ...Array.from({ length: 10 }, (_, i) => timing(H0 + hour + i * 1000, 'ed25519', 'generateKeyPairSync', 1000)),
  timing(H0 + hour + 30_000, 'ed25519', 'generateKeyPairSync', 1000, 'error'),
  timing(H0 + 60_000, 'rsa-2048', 'generateKeyPair', 60_000_000),
];

/** The percentiles hdr-histogram-js itself gives for raw values, at the rollups' precision (2 significant digits). */
function libraryPercentiles(values: number[]): number[] {
  const histogram = hdr.build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 2, useWebAssembly: false });
  for (const value of values) histogram.recordValue(value);
  const result = [50, 90, 99, 99.9].map((p) => histogram.getValueAtPercentile(p));
  histogram.destroy();
  return result;
}

let db: FixtureDatabase;
beforeAll(async () => {
  db = await openFixtureDatabase();
  await insertEvents(db.connection, events);
});
afterAll(() => db.close());

describe('latency over time', () => {
  it('gives HDR percentiles per algorithm, api and hour, the exact max and the count', async () => {
    const buckets = await latencyOverTime(db.connection, {}, { bucket: 'hour', encode: true });
    expect(buckets.map((b) => [b.algorithm, b.api, b.start.getTime(), b.count, b.p50, b.p90, b.p99, b.p999, b.max])).toEqual([
      // 100 and 200 are exact below 256; 300 is in the bucket 300..301 (2 ns wide); 50 000 in 49 920..50 175
      // (256 ns wide); 1000 in 1000..1003.
      ['ed25519', 'generateKeyPairSync', H0, 5, 301, 50_175, 50_175, 50_175, 50_000],
      ['ed25519', 'generateKeyPairSync', H0 + hour, 11, 1003, 1003, 1003, 1003, 1000],
      // 60 000 000 is in the bucket 59 768 832..60 030 975 (262 144 ns wide).
      ['rsa-2048', 'generateKeyPair', H0, 1, 60_030_975, 60_030_975, 60_030_975, 60_030_975, 60_000_000],
    ]);
    expect([buckets[0]!.p50, buckets[0]!.p90, buckets[0]!.p99, buckets[0]!.p999]).toEqual(libraryPercentiles(bucket0));
    expect([buckets[2]!.p50, buckets[2]!.p999]).toEqual(libraryPercentiles([60_000_000]).filter((_, i) => i === 0 || i === 3));

    // The encoded histogram decodes to the same counts, and merging two buckets works as the dashboard does it.
    const merged = decodeHistogram(buckets[0]!.histogram!);
    merged.add(decodeHistogram(buckets[1]!.histogram!));
    expect(merged.totalCount).toBe(16);
    expect(merged.getValueAtPercentile(50)).toBe(1003);
  });

  it('honours the filter and fixed-width buckets', async () => {
    const only = await latencyOverTime(db.connection, { algorithm: 'ed25519', since: new Date(H0 + hour) }, { bucket: { ms: 2 * hour } });
    expect(only.map((b) => [b.algorithm, b.start.getTime(), b.count, b.histogram])).toEqual([['ed25519', H0, 11, null]]);
    const byImplementation = await latencyOverTime(db.connection, { operation: 'generateKeyPair' }, { bucket: 'day', byImplementation: true });
    expect(byImplementation.map((b) => [b.algorithm, b.implementation, b.count])).toEqual([['rsa-2048', 'keyscope', 1]]);
  });

  it('reads percentiles with the library\'s own rule for many values, given in any order and repeated', () => {
    // From 20 us to ~150 us, and a tail up to ~10 s (values above 2^32 take the other branch of the bucket index).
    const values = Array.from({ length: 5000 }, (_, i) => Math.round(20_000 * Math.exp(((i * 7919) % 5000) / 2500)));
    values.push(...Array.from({ length: 60 }, (_, i) => 5_000_000_000 + i * 97_654_321));
    // Each value as its own count of 1, unsorted: the same rounded value arrives many times, as from many hours.
    const counts = values.map((value) => ({ value: hdrLowestEquivalent(value), count: 1 }));
    const percentiles = [0, 1, 50, 90, 99, 99.9, 100];
    const histogram = hdr.build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 2, useWebAssembly: false });
    for (const value of values) histogram.recordValue(value);
    const expected = percentiles.map((p) => histogram.getValueAtPercentile(p));
    histogram.destroy();
    expect(hdrPercentiles(counts, percentiles)).toEqual(expected);
  });
});

describe('success rate', () => {
  it('counts ok and error from keygen.timing, overall, per algorithm and per bucket', async () => {
    const result = await successRate(db.connection, {}, { bucket: 'hour' });
    expect(result.overall).toEqual({ ok: 16, error: 1, rate: 16 / 17 });
    expect(result.byAlgorithm).toEqual([
      { algorithm: 'ed25519', ok: 15, error: 1, rate: 15 / 16 },
      { algorithm: 'rsa-2048', ok: 1, error: 0, rate: 1 },
    ]);
    expect(result.overTime.map((b) => [b.algorithm, b.start.getTime(), b.ok, b.error])).toEqual([
      ['ed25519', H0, 5, 0],
      ['ed25519', H0 + hour, 10, 1],
      ['rsa-2048', H0, 1, 0],
    ]);
    const none = await successRate(db.connection, { algorithm: 'x448' }, { bucket: 'day' });
    expect(none).toEqual({ overall: { ok: 0, error: 0, rate: 0 }, byAlgorithm: [], overTime: [] });
  });
});
