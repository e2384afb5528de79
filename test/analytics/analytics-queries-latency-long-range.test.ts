/**
 * latencyOverTime reads a long range in pieces of at most 32 buckets (one statement each, to bound DuckDB's
 * list() memory). The pieces must be invisible: the same buckets, in the same order, as one statement gives.
 * A fixed-width { ms } bucket of one day is never cut, so it is the one-statement reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bucketsPerStatement, latencyOverTime, statementRanges } from '../../src/analytics/query/latency-over-time.js';
import { type FixtureDatabase, type FixtureEvent, insertEvents, openFixtureDatabase } from '../support/analytics-query-fixtures.js';

const hour = 3_600_000;
const day = 24 * hour;
const start = Date.UTC(2025, 2, 1);

// 100 days of keys from two implementations and two algorithms, a few per day at varying hours, with a
// partial hour at each end of the range asked for.
const events: FixtureEvent[] = Array.from({ length: 100 * 6 }, (_, i) => ({
  time: start + Math.floor(i / 6) * day + (i % 6) * 3 * hour + 17_000 * (i % 5),
  type: 'keygen.timing' as const,
  operation: i % 2 === 0 ? 'generateKeyPairSync' : 'generateKeyPair',
  algorithm: i % 3 === 0 ? 'rsa-2048' : 'ec-p256',
  outcome: i % 11 === 0 ? ('error' as const) : ('ok' as const),
  durationNs: 1000 + ((i * 7919) % 100_000),
  properties: { implementation: i % 4 === 0 ? 'node:crypto' : 'keyscope', cycles: null },
}));

let db: FixtureDatabase;
beforeAll(async () => {
  db = await openFixtureDatabase();
  await insertEvents(db.connection, events);
});
afterAll(() => db.close());

const comparable = (buckets: Awaited<ReturnType<typeof latencyOverTime>>) =>
  buckets.map((b) => [b.algorithm, b.api, b.implementation, b.start.getTime(), b.count, b.p50, b.p90, b.p99, b.p999, b.max]);

describe('latency over a long range', () => {
  const filter = { since: new Date(start + 5 * hour + 1234), until: new Date(start + 99 * day + 7 * hour + 99) };

  it('cuts the range at bucket boundaries into pieces of at most 32 buckets', () => {
    const pieces = statementRanges(filter, 'day');
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces[0]!.since).toEqual(filter.since);
    expect(pieces.at(-1)!.until).toEqual(filter.until);
    for (let i = 1; i < pieces.length; i++) {
      expect(pieces[i]!.since).toEqual(pieces[i - 1]!.until);
      expect(pieces[i]!.since!.getTime() % (bucketsPerStatement * day)).toBe(0);
    }
    expect(statementRanges({ since: filter.since }, 'day')).toHaveLength(1);
    expect(statementRanges(filter, { ms: day })).toHaveLength(1);
  });

  it('gives exactly what one statement gives, per implementation and with filters', async () => {
    for (const options of [{ byImplementation: true }, { mergeApis: true }, {}]) {
      const pieces = await latencyOverTime(db.connection, filter, { bucket: 'day', ...options });
      const whole = await latencyOverTime(db.connection, filter, { bucket: { ms: day }, ...options });
      expect(pieces.length).toBeGreaterThan(150);
      expect(comparable(pieces)).toEqual(comparable(whole));
    }
    const filtered = { ...filter, algorithm: 'rsa-2048', outcome: 'ok' as const };
    expect(comparable(await latencyOverTime(db.connection, filtered, { bucket: 'day' }))).toEqual(
      comparable(await latencyOverTime(db.connection, filtered, { bucket: { ms: day } })),
    );
  });
});
