/**
 * Rollup-backed answers are exactly the raw computation's: every query, over ranges that start and end
 * mid-hour (and inside one hour, on boundaries, open-ended), with filters and buckets of every kind, against
 * answers computed here in plain JS from the same events (percentiles by hdr-histogram-js itself). Sessions
 * run across hour and day boundaries, so their stitching is checked too.
 */
import * as hdr from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  algorithmShare,
  type BucketSize,
  errorFrequency,
  featureAdoption,
  flowEnd,
  flows,
  flowStart,
  latencyOverTime,
  type QueryFilter,
  sessionDurations,
  successRate,
} from '../../src/analytics/query/index.js';
import { isOutcomeCode } from '../../src/core/errors.js';
import { type FixtureDatabase, type FixtureEvent, insertEvents, openFixtureDatabase } from '../support/analytics-query-fixtures.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
/** Saturday 2025-01-04 20:00 UTC: the events run into the next ISO week (Monday 2025-01-06). */
const T0 = Date.UTC(2025, 0, 4, 20);

/** A small deterministic PRNG (mulberry32), so the fixture is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Event extends FixtureEvent {
  /** The time in whole microseconds (FixtureEvent.time is this / 1000). */
  us: number;
  implementation?: string;
}

/** 14 sessions over ~3 days, each a few minutes to several hours long, so many cross an hour or a day. */
function generate(): Event[] {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const events: Event[] = [];
  const used = new Set<number>();
  for (let s = 0; s < 14; s++) {
    const sessionId = `s${s}`;
    let us = Math.round((T0 + next() * 2.6 * day) * 1000);
    const count = 20 + Math.floor(next() * 60);
    for (let i = 0; i < count; i++) {
      // Minutes apart, with microseconds: no two events share a time, so orders are unambiguous.
      us += Math.round((1 + next() * (s % 3 === 0 ? 20 : 4)) * minute * 1000) + Math.floor(next() * 1000);
      while (used.has(us)) us++;
      used.add(us);
      const base = { us, time: us / 1000, sessionId };
      const u = next();
      const outcome = next() < 0.15 ? 'error' : 'ok';
      if (i === 0) {
        events.push({ ...base, type: 'session.start' });
      } else if (u < 0.2) {
        const options = [['--format'], [], ['--json', '--out'], ['--format', '--passphrase-file']];
        events.push({ ...base, type: 'command', operation: pick(['keygen', 'bench', 'runs list']), outcome, properties: { options: pick(options) } });
      } else if (u < 0.45) {
        const api = pick(['generateKeyPairSync', 'generateKeyPair', 'exportPrivateKey', 'exportPublicKey']);
        events.push({ ...base, type: 'api.call', operation: api, algorithm: pick(['ed25519', 'rsa-2048', 'ec-p256']), outcome });
      } else if (u < 0.93) {
        const algorithm = pick(['ed25519', 'rsa-2048', 'ec-p256']);
        const median = algorithm === 'rsa-2048' ? 60_000_000 : algorithm === 'ed25519' ? 25_000 : 40_000;
        const durationNs = Math.max(1, Math.round(median * Math.exp((next() - 0.5) * 3)));
        const implementation = next() < 0.7 ? 'keyscope' : 'node';
        events.push({ ...base, type: 'keygen.timing', operation: pick(['generateKeyPairSync', 'generateKeyPair']), algorithm, outcome, durationNs, implementation, properties: { implementation } });
      } else {
        const fingerprint = pick(['aaaa000000000000', 'bbbb000000000000', 'cccc000000000000']);
        events.push({
          ...base,
          type: 'error',
          operation: pick(['cli keygen', 'api generateKeyPairSync']),
          algorithm: pick(['ed25519', 'rsa-2048', null]),
          errorCode: fingerprint.startsWith('a') ? 'KS_OPENSSL' : 'KS_INVALID_OPTION',
          fingerprint,
        });
      }
    }
  }
  return events.sort((a, b) => a.us - b.us);
}

const events = generate();

// ---- The raw computations ------------------------------------------------------------------------------

const inRange = (event: Event, filter: QueryFilter) =>
  (filter.since === undefined || event.time >= filter.since.getTime()) && (filter.until === undefined || event.time < filter.until.getTime());

/** DuckDB's VARCHAR order (bytes), not the locale's. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function bucketStart(ms: number, bucket: BucketSize): number {
  const floorTo = (width: number) => Math.floor(ms / width) * width;
  if (typeof bucket === 'object') return floorTo(bucket.ms);
  if (bucket === 'week') {
    // date_trunc('week') starts weeks on Monday; the epoch's day 0 was a Thursday.
    const days = Math.floor(ms / day);
    return (days - ((days + 3) % 7)) * day;
  }
  return floorTo({ minute, hour, day }[bucket]);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function rawAlgorithmShare(filter: QueryFilter) {
  const keys = events.filter(
    (e) =>
      e.type === 'api.call' && e.operation!.startsWith('generateKeyPair') && inRange(e, filter) &&
      (filter.algorithm === undefined || e.algorithm === filter.algorithm) &&
      (filter.operation === undefined || e.operation === filter.operation) &&
      (filter.outcome === undefined || e.outcome === filter.outcome),
  );
  const algorithms = [...countBy(keys, (e) => e.algorithm!)]
    .map(([algorithm, n]) => ({ algorithm, keys: n, share: n / keys.length }))
    .sort((a, b) => b.keys - a.keys || byText(a.algorithm, b.algorithm));
  return { total: keys.length, algorithms };
}

function rawSuccessRate(filter: QueryFilter, bucket: BucketSize) {
  const timed = events.filter(
    (e) =>
      e.type === 'keygen.timing' && inRange(e, filter) &&
      (filter.algorithm === undefined || e.algorithm === filter.algorithm) &&
      (filter.operation === undefined || e.operation === filter.operation),
  );
  const counts = (group: readonly Event[]) => {
    const ok = group.filter((e) => e.outcome === 'ok').length;
    const error = group.filter((e) => e.outcome === 'error').length;
    return { ok, error, rate: ok + error === 0 ? 0 : ok / (ok + error) };
  };
  const algorithms = [...new Set(timed.map((e) => e.algorithm!))].sort(byText);
  return {
    overall: counts(timed),
    byAlgorithm: algorithms.map((algorithm) => ({ algorithm, ...counts(timed.filter((e) => e.algorithm === algorithm)) })),
    overTime: algorithms.flatMap((algorithm) => {
      const mine = timed.filter((e) => e.algorithm === algorithm);
      const starts = [...new Set(mine.map((e) => bucketStart(e.time, bucket)))].sort((a, b) => a - b);
      return starts.map((start) => ({ algorithm, start: new Date(start), ...counts(mine.filter((e) => bucketStart(e.time, bucket) === start)) }));
    }),
  };
}

function rawErrorFrequency(filter: QueryFilter, bucket: BucketSize) {
  const errors = events.filter(
    (e) =>
      // Outcomes an older keyscope recorded as errors (KS_INVALID_OPTION here) are not failures to count.
      e.type === 'error' && !isOutcomeCode(e.errorCode ?? null) && inRange(e, filter) &&
      (filter.algorithm === undefined || e.algorithm === filter.algorithm) &&
      (filter.operation === undefined || e.operation === filter.operation),
  );
  return {
    overTime: [...countBy(errors, (e) => String(bucketStart(e.time, bucket)))]
      .map(([start, n]) => ({ start: new Date(Number(start)), errors: n }))
      .sort((a, b) => a.start.getTime() - b.start.getTime()),
    byFingerprint: [...countBy(errors, (e) => e.fingerprint!)]
      .map(([fingerprint, n]) => ({ fingerprint, code: errors.find((e) => e.fingerprint === fingerprint)!.errorCode!, errors: n }))
      .sort((a, b) => b.errors - a.errors || byText(a.fingerprint, b.fingerprint)),
  };
}

function rawFeatureAdoption(filter: QueryFilter) {
  const inside = events.filter((e) => inRange(e, filter));
  const sessions = new Set(inside.map((e) => e.sessionId)).size;
  const users = new Map<string, Set<string>>();
  const use = (kind: string, feature: string, sessionId: string) => {
    const key = `${kind}\u0000${feature}`;
    users.set(key, (users.get(key) ?? new Set()).add(sessionId));
  };
  for (const e of inside) {
    if (e.type === 'command') {
      use('command', e.operation!, e.sessionId!);
      for (const option of (e.properties as { options: string[] }).options) use('option', `${e.operation} ${option}`, e.sessionId!);
    }
    if (e.type === 'api.call') use('api', e.operation!, e.sessionId!);
  }
  const features = [...users]
    .map(([key, ids]) => {
      const [kind, feature] = key.split('\u0000') as [string, string];
      return { kind, feature, sessions: ids.size, share: ids.size / sessions };
    })
    .sort((a, b) => b.sessions - a.sessions || byText(a.kind, b.kind) || byText(a.feature, b.feature));
  return { sessions, features };
}

/** Linear interpolation between the order statistics, as quantile_cont. */
function quantileCont(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

function rawSessionDurations(filter: QueryFilter) {
  const bySession = new Map<string, Event[]>();
  for (const e of events.filter((e) => inRange(e, filter))) bySession.set(e.sessionId!, [...(bySession.get(e.sessionId!) ?? []), e]);
  const sessions = [...bySession].map(([sessionId, mine]) => {
    const startUs = Math.min(...mine.map((e) => e.us));
    const endUs = Math.max(...mine.map((e) => e.us));
    return { sessionId, startUs, endUs, commands: mine.filter((e) => e.type === 'command').length };
  });
  const durationsUs = sessions.map((s) => s.endUs - s.startUs).sort((a, b) => a - b);
  return {
    summary:
      sessions.length === 0
        ? { count: 0, p50: 0, p90: 0, p99: 0, max: 0 }
        : {
            count: sessions.length,
            p50: quantileCont(durationsUs, 0.5) / 1000,
            p90: quantileCont(durationsUs, 0.9) / 1000,
            p99: quantileCont(durationsUs, 0.99) / 1000,
            max: durationsUs.at(-1)! / 1000,
          },
    sessions: sessions
      .sort((a, b) => b.endUs - a.endUs || byText(a.sessionId, b.sessionId))
      .map((s) => ({ sessionId: s.sessionId, start: new Date(s.startUs / 1000), end: new Date(s.endUs / 1000), durationMs: s.endUs / 1000 - s.startUs / 1000, commands: s.commands })),
  };
}

function rawFlows(filter: QueryFilter) {
  const commands = events.filter((e) => e.type === 'command' && inRange(e, filter) && (filter.outcome === undefined || e.outcome === filter.outcome));
  const transitions: string[] = [];
  for (const sessionId of new Set(commands.map((e) => e.sessionId!))) {
    const names = commands.filter((e) => e.sessionId === sessionId).map((e) => e.operation!);
    [flowStart, ...names].forEach((from, i) => transitions.push(`${from}\u0000${names[i] ?? flowEnd}`));
  }
  return [...countBy(transitions, (t) => t)]
    .map(([key, count]) => {
      const [from, to] = key.split('\u0000') as [string, string];
      return { from, to, count };
    })
    .sort((a, b) => b.count - a.count || byText(a.from, b.from) || byText(a.to, b.to));
}

function rawLatency(filter: QueryFilter, bucket: BucketSize, byImplementation: boolean) {
  const timed = events.filter(
    (e) =>
      e.type === 'keygen.timing' && inRange(e, filter) &&
      (filter.algorithm === undefined || e.algorithm === filter.algorithm) &&
      (filter.operation === undefined || e.operation === filter.operation) &&
      (filter.outcome === undefined || e.outcome === filter.outcome),
  );
  const series = new Map<string, Event[]>();
  for (const e of timed) {
    const key = [e.algorithm, e.operation, byImplementation ? e.implementation : '', String(bucketStart(e.time, bucket))].join('\u0000');
    series.set(key, [...(series.get(key) ?? []), e]);
  }
  return [...series]
    .map(([key, mine]) => {
      const [algorithm, api, implementation, start] = key.split('\u0000') as [string, string, string, string];
      const histogram = hdr.build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 2, useWebAssembly: false });
      for (const e of mine) histogram.recordValue(e.durationNs!);
      const percentiles = [50, 90, 99, 99.9].map((p) => histogram.getValueAtPercentile(p));
      histogram.destroy();
      const max = Math.max(...mine.map((e) => e.durationNs!));
      return [algorithm, api, byImplementation ? implementation : null, Number(start), mine.length, ...percentiles, max];
    })
    .sort((a, b) => byText(String(a[0]), String(b[0])) || byText(String(a[1]), String(b[1])) || byText(String(a[2] ?? ''), String(b[2] ?? '')) || Number(a[3]) - Number(b[3]));
}

// ---- The ranges and the comparisons --------------------------------------------------------------------

const at = (ms: number) => new Date(ms);
const ranges: Record<string, QueryFilter> = {
  everything: {},
  'mid-hour to mid-hour, over two days': { since: at(T0 + 5 * hour + 17 * minute + 3_500), until: at(T0 + 2 * day + 3 * hour + 41 * minute) },
  'inside one hour': { since: at(T0 + day + 4 * hour + 10 * minute), until: at(T0 + day + 4 * hour + 50 * minute) },
  'across one hour boundary only': { since: at(T0 + day + 7 * hour + 50 * minute), until: at(T0 + day + 8 * hour + 10 * minute) },
  'since, mid-hour': { since: at(T0 + day + 13 * hour + 29 * minute + 0.5) },
  'until, mid-hour': { until: at(T0 + day + 2 * hour + 1) },
  'whole days and hours': { since: at(T0 + 4 * hour), until: at(T0 + 2 * day + 1 * hour) },
  'empty (in the future)': { since: at(T0 + 30 * day) },
};
const buckets: readonly BucketSize[] = ['hour', 'day', 'week', { ms: 2 * hour }, { ms: 2 * day }, 'minute', { ms: 90 * minute }];

let db: FixtureDatabase;
beforeAll(async () => {
  db = await openFixtureDatabase();
  // In three appends, as three ingests would: each refreshes only the hours its own events touch.
  const third = Math.ceil(events.length / 3);
  for (let from = 0; from < events.length; from += third) await insertEvents(db.connection, events.slice(from, from + third));
});
afterAll(() => db.close());

describe('rollup-backed queries equal the raw computation', () => {
  it('has a fixture whose sessions cross hours and days', () => {
    const spans = new Map<string, number[]>();
    for (const e of events) spans.set(e.sessionId!, [...(spans.get(e.sessionId!) ?? []), e.time]);
    const crossing = [...spans.values()].filter((times) => Math.floor(Math.min(...times) / hour) !== Math.floor(Math.max(...times) / hour));
    expect(crossing.length).toBeGreaterThan(8);
    expect([...spans.values()].some((times) => Math.floor(Math.min(...times) / day) !== Math.floor(Math.max(...times) / day))).toBe(true);
  });

  for (const [name, range] of Object.entries(ranges)) {
    describe(name, () => {
      it('algorithmShare, with and without filters', async () => {
        for (const filter of [range, { ...range, outcome: 'error' as const }, { ...range, operation: 'generateKeyPair', algorithm: 'rsa-2048' }]) {
          expect(await algorithmShare(db.connection, filter)).toEqual(rawAlgorithmShare(filter));
        }
      });

      it('successRate and errorFrequency, for every bucket', async () => {
        for (const bucket of buckets) {
          expect(await successRate(db.connection, range, { bucket })).toEqual(rawSuccessRate(range, bucket));
          expect(await errorFrequency(db.connection, range, { bucket })).toEqual(rawErrorFrequency(range, bucket));
        }
        const filtered = { ...range, algorithm: 'ed25519', operation: 'generateKeyPairSync' };
        expect(await successRate(db.connection, filtered, { bucket: 'hour' })).toEqual(rawSuccessRate(filtered, 'hour'));
        const errorsFiltered = { ...range, operation: 'cli keygen' };
        expect(await errorFrequency(db.connection, errorsFiltered, { bucket: 'day' })).toEqual(rawErrorFrequency(errorsFiltered, 'day'));
      });

      it('featureAdoption', async () => {
        expect(await featureAdoption(db.connection, range)).toEqual(rawFeatureAdoption(range));
      });

      it('sessionDurations, stitching each session across its hours', async () => {
        const actual = await sessionDurations(db.connection, range);
        const expected = rawSessionDurations(range);
        expect(actual.sessions).toEqual(expected.sessions);
        expect(actual.summary.count).toBe(expected.summary.count);
        expect(actual.summary.max).toBe(expected.summary.max);
        for (const p of ['p50', 'p90', 'p99'] as const) expect(actual.summary[p]).toBeCloseTo(expected.summary[p], 6);
      });

      it('flows, with and without the outcome filter', async () => {
        expect(await flows(db.connection, range)).toEqual(rawFlows(range));
        expect(await flows(db.connection, { ...range, outcome: 'ok' })).toEqual(rawFlows({ ...range, outcome: 'ok' }));
      });

      it('latencyOverTime, for every bucket, by implementation and filtered', async () => {
        const shape = (b: Awaited<ReturnType<typeof latencyOverTime>>[number]) => [b.algorithm, b.api, b.implementation, b.start.getTime(), b.count, b.p50, b.p90, b.p99, b.p999, b.max];
        for (const bucket of buckets) {
          expect((await latencyOverTime(db.connection, range, { bucket })).map(shape)).toEqual(rawLatency(range, bucket, false));
        }
        expect((await latencyOverTime(db.connection, range, { bucket: 'day', byImplementation: true })).map(shape)).toEqual(rawLatency(range, 'day', true));
        const filtered = { ...range, algorithm: 'rsa-2048', operation: 'generateKeyPair', outcome: 'ok' as const };
        expect((await latencyOverTime(db.connection, filtered, { bucket: 'hour' })).map(shape)).toEqual(rawLatency(filtered, 'hour', false));
      });
    });
  }
});

describe('a session that used a feature both in a partial hour and in whole hours', () => {
  it('counts once, at either edge, and once across hours', async () => {
    const H = Date.UTC(2025, 1, 3, 10);
    const own = await openFixtureDatabase();
    try {
      const keygen = (sessionId: string, time: number): FixtureEvent => ({ time, type: 'command', sessionId, operation: 'keygen', outcome: 'ok', properties: { options: [] } });
      // a: 10:50 (the partial first hour) and 11:20; b: 11:20 and 12:10 (the partial last hour); c: 11:10, 11:40, 12:40 (whole hours only).
      await insertEvents(own.connection, [
        keygen('a', H + 50 * minute),
        keygen('a', H + 80 * minute),
        keygen('b', H + 80 * minute),
        keygen('b', H + 130 * minute),
        keygen('c', H + 70 * minute),
        keygen('c', H + 100 * minute),
        keygen('c', H + 160 * minute),
      ]);
      // 10:30-12:30: 10:30-11:00 and 12:00-12:30 are read raw, 11:00-12:00 from the rollup; a and b are in both.
      const adoption = await featureAdoption(own.connection, { since: new Date(H + 30 * minute), until: new Date(H + 2 * hour + 30 * minute) });
      expect(adoption.features).toEqual([{ kind: 'command', feature: 'keygen', sessions: 3, share: 1 }]);
      // 10:30-13:30: c's rows at 11:00 and 12:00 are one session.
      expect((await featureAdoption(own.connection, { since: new Date(H + 30 * minute), until: new Date(H + 3 * hour + 30 * minute) })).features[0]!.sessions).toBe(3);
      // From 11:30: a is out (its last use was 11:20); c, at 11:40 (raw) and 12:40 (rollup), counts once.
      expect((await featureAdoption(own.connection, { since: new Date(H + 90 * minute) })).features[0]!.sessions).toBe(2);
    } finally {
      own.close();
    }
  });
});
