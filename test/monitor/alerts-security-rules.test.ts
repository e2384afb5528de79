import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { evaluateAlerts } from '../../src/monitor/alerts/evaluate.js';
import { type FixtureDatabase, type FixtureEvent, insertEvents, openFixtureDatabase } from '../support/analytics-query-fixtures.js';
import { hour, minute, rulesConfig } from '../support/alert-fixtures.js';

const now = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
const at = (msBefore: number) => now.getTime() - msBefore;
const iso = (ms: number) => new Date(ms).toISOString();

const weak = (time: number, algorithm: string, operation: string): FixtureEvent => ({ time, type: 'security.weak-parameters', algorithm, operation });
const burst = (time: number, algorithm: string, keysInSecond: number): FixtureEvent => ({ time, type: 'security.burst', algorithm, properties: { keysInSecond } });
const repeated = (time: number, code: string | null, failures: number): FixtureEvent => ({
  time,
  type: 'security.repeated-failures',
  errorCode: code,
  fingerprint: '0123456789abcdef',
  properties: { failures, windowSeconds: 60 },
});

let db: FixtureDatabase;
beforeEach(async () => {
  db = await openFixtureDatabase();
  await insertEvents(db.connection, [
    weak(at(25 * hour), 'rsa-1024', 'cli keygen'), // outside the 24h lookback
    weak(at(5 * hour), 'rsa-1024', 'cli keygen'),
    weak(at(2 * hour), 'rsa-1024', 'api generateKeyPairSync'),
    weak(at(1 * hour), 'rsa-1024', 'cli keygen'),
    weak(at(3 * hour), 'rsa-1536', 'api generateKeyPair'),
    burst(at(2 * hour), 'ed25519', 1000), // outside the 1h lookback
    burst(at(30 * minute), 'ed25519', 1000),
    burst(at(10 * minute), 'ed25519', 1200),
    repeated(at(50 * minute), 'KS_OPENSSL', 5),
    repeated(at(20 * minute), null, 7),
    weak(now.getTime(), 'rsa-512', 'cli keygen'), // at `now`: not yet in [now - lookback, now)
  ]);
});
afterEach(() => db.close());

const builtinsOn = { builtin: {}, anomaly: { latency: { enabled: false }, rate: { enabled: false } } };

describe('built-in security rules', () => {
  it('raises one alert per rule and algorithm, with counts and windows', async () => {
    const alerts = await evaluateAlerts(db.connection, rulesConfig(builtinsOn), { now });
    expect(alerts).toEqual([
      {
        id: 'builtin.burst:ed25519',
        rule: 'builtin.burst',
        kind: 'security',
        severity: 'warning',
        title: 'burst of ed25519 key generation: 2 seconds with 1200 or more keys in the last 1h',
        algorithm: 'ed25519',
        since: iso(at(30 * minute)),
        evidence: { metric: 'seconds over the burst threshold', value: 2, baseline: 0, window: { since: iso(at(hour)), until: iso(now.getTime()) }, events: 2 },
      },
      {
        id: 'builtin.repeated-failures:*',
        rule: 'builtin.repeated-failures',
        kind: 'security',
        severity: 'warning',
        title: 'repeated failures: 2 episodes (12 failures) in the last 1h, codes KS_OPENSSL, no code',
        algorithm: null,
        since: iso(at(50 * minute)),
        evidence: { metric: 'repeated-failure episodes', value: 2, baseline: 0, window: { since: iso(at(hour)), until: iso(now.getTime()) }, events: 12 },
      },
      {
        id: 'builtin.weak-parameters:rsa-1024',
        rule: 'builtin.weak-parameters',
        kind: 'security',
        severity: 'warning',
        title: 'weak parameters requested for rsa-1024 3 times in the last 1d (api generateKeyPairSync, cli keygen)',
        algorithm: 'rsa-1024',
        since: iso(at(5 * hour)),
        evidence: { metric: 'weak-parameter requests', value: 3, baseline: 0, window: { since: iso(at(24 * hour)), until: iso(now.getTime()) }, events: 3 },
      },
      {
        id: 'builtin.weak-parameters:rsa-1536',
        rule: 'builtin.weak-parameters',
        kind: 'security',
        severity: 'warning',
        title: 'weak parameters requested for rsa-1536 1 time in the last 1d (api generateKeyPair)',
        algorithm: 'rsa-1536',
        since: iso(at(3 * hour)),
        evidence: { metric: 'weak-parameter requests', value: 1, baseline: 0, window: { since: iso(at(24 * hour)), until: iso(now.getTime()) }, events: 1 },
      },
    ]);
  });

  it('honours enabled, lookback and severity', async () => {
    const config = rulesConfig({
      builtin: { weakParameters: { lookback: '90m', severity: 'critical' }, bursts: { enabled: false }, repeatedFailures: { lookback: '30m', severity: 'info' } },
      anomaly: { latency: { enabled: false }, rate: { enabled: false } },
    });
    const alerts = await evaluateAlerts(db.connection, config, { now });
    expect(alerts.map((a) => [a.id, a.severity, a.evidence.value])).toEqual([
      ['builtin.weak-parameters:rsa-1024', 'critical', 1],
      ['builtin.repeated-failures:*', 'info', 1],
    ]);
  });

  it('is quiet with no security events', async () => {
    await db.connection.run('DELETE FROM event_rows');
    expect(await evaluateAlerts(db.connection, rulesConfig(builtinsOn), { now })).toEqual([]);
  });
});
