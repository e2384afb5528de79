import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { algorithmShare, featureAdoption, flows, sessionDurations } from '../../src/analytics/query/index.js';
import { type FixtureDatabase, type FixtureEvent, insertEvents, openFixtureDatabase } from '../support/analytics-query-fixtures.js';

const T = Date.UTC(2025, 0, 1, 10);
const minute = 60_000;
const hour = 60 * minute;

const command = (sessionId: string, time: number, name: string, options: string[]): FixtureEvent => ({
  time,
  type: 'command',
  sessionId,
  operation: name,
  outcome: 'ok',
  properties: { options },
});
const call = (sessionId: string, time: number, api: string, algorithm: string, outcome: 'ok' | 'error' = 'ok'): FixtureEvent => ({
  time,
  type: 'api.call',
  sessionId,
  operation: api,
  algorithm,
  outcome,
});

/**
 * s1: keygen --format, api calls, keygen, runs list over 3 minutes; s2: a single bench --json; s3: library calls
 * over 20 s (one export, one failed generate); s4: keygen then runs list, 1 minute.
 */
const events: FixtureEvent[] = [
  command('s1', T, 'keygen', ['--format']),
  call('s1', T + 30_000, 'generateKeyPairSync', 'ed25519'),
  call('s1', T + 40_000, 'generateKeyPair', 'rsa-2048'),
  command('s1', T + minute, 'keygen', []),
  command('s1', T + 3 * minute, 'runs list', []),
  command('s2', T + hour, 'bench', ['--json']),
  call('s3', T + 2 * hour, 'generateKeyPairSync', 'ed25519'),
  call('s3', T + 2 * hour + 10_000, 'exportPrivateKey', 'ed25519'),
  call('s3', T + 2 * hour + 20_000, 'generateKeyPairSync', 'ed25519', 'error'),
  command('s4', T + 5 * hour, 'keygen', []),
  command('s4', T + 5 * hour + minute, 'runs list', []),
];

let db: FixtureDatabase;
beforeAll(async () => {
  db = await openFixtureDatabase();
  await insertEvents(db.connection, events);
});
afterAll(() => db.close());

describe('usage queries on a hand-counted fixture', () => {
  it('algorithmShare counts generate API calls only', async () => {
    expect(await algorithmShare(db.connection)).toEqual({
      total: 4,
      algorithms: [
        { algorithm: 'ed25519', keys: 3, share: 0.75 },
        { algorithm: 'rsa-2048', keys: 1, share: 0.25 },
      ],
    });
    const ok = await algorithmShare(db.connection, { outcome: 'ok' });
    expect(ok.algorithms.map((a) => [a.algorithm, a.keys])).toEqual([['ed25519', 2], ['rsa-2048', 1]]);
    const early = await algorithmShare(db.connection, { until: new Date(T + hour) });
    expect(early.algorithms.map((a) => [a.algorithm, a.keys, a.share])).toEqual([['ed25519', 1, 0.5], ['rsa-2048', 1, 0.5]]);
  });

  it('featureAdoption counts each session once per feature', async () => {
    const adoption = await featureAdoption(db.connection);
    expect(adoption.sessions).toBe(4);
    const byFeature = Object.fromEntries(adoption.features.map((f) => [`${f.kind}:${f.feature}`, [f.sessions, f.share]]));
    expect(byFeature).toEqual({
      'command:keygen': [2, 0.5],
      'command:runs list': [2, 0.5],
      'command:bench': [1, 0.25],
      'option:keygen --format': [1, 0.25],
      'option:bench --json': [1, 0.25],
      'api:generateKeyPairSync': [2, 0.5],
      'api:generateKeyPair': [1, 0.25],
      'api:exportPrivateKey': [1, 0.25],
    });
  });

  it('sessionDurations gives each session its span and commands, and the distribution over all of them', async () => {
    const result = await sessionDurations(db.connection);
    expect(result.sessions.map((s) => [s.sessionId, s.durationMs, s.commands])).toEqual([
      ['s4', minute, 2],
      ['s3', 20_000, 0],
      ['s2', 0, 1],
      ['s1', 3 * minute, 3],
    ]);
    expect(result.sessions[0]!.start).toEqual(new Date(T + 5 * hour));
    // Durations 0, 20 000, 60 000, 180 000 ms, interpolated quantiles.
    const { count, p50, p90, p99, max } = result.summary;
    expect([count, p50, max]).toEqual([4, 40_000, 180_000]);
    expect(p90).toBeCloseTo(144_000, 6);
    expect(p99).toBeCloseTo(176_400, 6);
    expect((await sessionDurations(db.connection, {}, { limit: 1 })).sessions.map((s) => s.sessionId)).toEqual(['s4']);
  });

  it('flows counts transitions between consecutive commands, with (start) and (end)', async () => {
    const transitions = await flows(db.connection);
    expect(transitions).toEqual([
      { from: '(start)', to: 'keygen', count: 2 },
      { from: 'keygen', to: 'runs list', count: 2 },
      { from: 'runs list', to: '(end)', count: 2 },
      { from: '(start)', to: 'bench', count: 1 },
      { from: 'bench', to: '(end)', count: 1 },
      { from: 'keygen', to: 'keygen', count: 1 },
    ]);
  });

  it('returns empty answers on an empty range', async () => {
    const none = { since: new Date(T + 100 * hour) };
    expect(await algorithmShare(db.connection, none)).toEqual({ total: 0, algorithms: [] });
    expect(await flows(db.connection, none)).toEqual([]);
    expect((await sessionDurations(db.connection, none)).summary).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });
});
