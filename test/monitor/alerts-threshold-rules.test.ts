import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { evaluateAlerts } from '../../src/monitor/alerts/evaluate.js';
import { type FixtureDatabase, type FixtureEvent, insertEvents, openFixtureDatabase } from '../support/analytics-query-fixtures.js';
import { minute, rulesConfig, timings } from '../support/alert-fixtures.js';

/** Evaluation time; the 10-minute window is [11:50, 12:00), ten 1-minute steps. */
const now = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
const windowStart = now.getTime() - 10 * minute;
const stepStart = (index: number) => windowStart + index * minute;
const ms = 1_000_000;

let db: FixtureDatabase;
beforeEach(async () => {
  db = await openFixtureDatabase();
});
afterEach(() => db.close());

async function fire(rule: Record<string, unknown>) {
  return evaluateAlerts(db.connection, rulesConfig({ rules: [{ name: 'r', for: '10m', ...rule }] }), { now });
}

/** Ten keys per step in every step of the window, `durationOf(step)` each. */
async function latencyHistory(durationOf: (step: number) => number | null) {
  const events: FixtureEvent[] = [];
  for (let step = 0; step < 10; step++) {
    const durationNs = durationOf(step);
    if (durationNs !== null) events.push(...timings(stepStart(step), 10, { durationNs }));
  }
  // Fast keys just before the window and just after `now` must not matter.
  events.push(...timings(windowStart - minute, 10, { durationNs: ms }), ...timings(now.getTime(), 10, { durationNs: ms }));
  await insertEvents(db.connection, events);
}

describe('threshold rules with a for duration', () => {
  it('fires when every step breaches, with the least extreme breaching value as evidence', async () => {
    await latencyHistory((step) => (step === 4 ? 400 * ms : 300 * ms));
    const alerts = await fire({ metric: 'latency.p99', algorithm: 'rsa-2048', above: '250ms', severity: 'critical' });
    expect(alerts).toEqual([
      {
        id: 'r:rsa-2048',
        rule: 'r',
        kind: 'threshold',
        severity: 'critical',
        title: 'p99 latency of rsa-2048 is 300 ms, above 250 ms for 10m',
        algorithm: 'rsa-2048',
        since: new Date(windowStart).toISOString(),
        evidence: {
          metric: 'p99 latency (ns)',
          value: 300 * ms,
          baseline: 250 * ms,
          window: { since: new Date(windowStart).toISOString(), until: now.toISOString() },
          events: 100,
        },
      },
    ]);
  });

  it('does not fire when one step inside the window does not breach', async () => {
    await latencyHistory((step) => (step === 5 ? 200 * ms : 300 * ms));
    expect(await fire({ metric: 'latency.p99', above: '250ms' })).toEqual([]);
  });

  it('does not fire when any step of the window has no data: a gap resets the rule, as in Prometheus', async () => {
    // Every step with data breaches, but steps 0 and 5 hold no keys: the condition did not hold for 10 minutes.
    await latencyHistory((step) => (step === 0 || step === 5 ? null : 300 * ms));
    expect(await fire({ metric: 'latency.p99', above: '250ms' })).toEqual([]);

    for (const gap of [0, 9]) {
      await db.connection.run('DELETE FROM event_rows');
      await latencyHistory((step) => (step === gap ? null : 300 * ms));
      expect(await fire({ metric: 'latency.p99', above: '250ms' }), `gap at step ${gap}`).toEqual([]);
    }

    // One slow step after a long silence is not "slow for 10 minutes".
    await db.connection.run('DELETE FROM event_rows');
    await latencyHistory((step) => (step === 9 ? 300 * ms : null));
    expect(await fire({ metric: 'latency.p99', above: '250ms' })).toEqual([]);

    // The same data with the gap filled fires, from the start of the window.
    await db.connection.run('DELETE FROM event_rows');
    await latencyHistory(() => 300 * ms);
    const [alert] = await fire({ metric: 'latency.p99', above: '250ms' });
    expect(alert?.since).toBe(new Date(windowStart).toISOString());
    expect(alert?.evidence.events).toBe(100);
    expect(alert?.id).toBe('r:*');
  });

  it('compares strictly and computes exact percentiles per step', async () => {
    // Each step: 1..100 ms. p50 = 50 ms, p90 = 90 ms, p99 = 99 ms, max = 100 ms.
    const events: FixtureEvent[] = [];
    for (let step = 0; step < 10; step++) {
      for (let i = 1; i <= 100; i++) events.push(...timings(stepStart(step) + i * 100, 1, { durationNs: i * ms }));
    }
    await insertEvents(db.connection, events);
    const known = { 'latency.p50': 50, 'latency.p90': 90, 'latency.p99': 99, 'latency.max': 100 };
    for (const [metric, value] of Object.entries(known)) {
      const [alert] = await fire({ metric, above: `${value - 1}ms` });
      expect(alert?.evidence.value, metric).toBe(value * ms);
      expect(await fire({ metric, above: `${value}ms` }), metric).toEqual([]);
      expect((await fire({ metric, below: `${value + 1}ms` }))[0]?.evidence.value, metric).toBe(value * ms);
    }
  });

  it('takes percentiles by nearest rank (p99 of 10 keys is the slowest)', async () => {
    const events: FixtureEvent[] = [];
    for (let step = 0; step < 10; step++) for (let i = 1; i <= 10; i++) events.push(...timings(stepStart(step) + i * 100, 1, { durationNs: i * ms }));
    await insertEvents(db.connection, events);
    expect((await fire({ metric: 'latency.p99', above: '1ms' }))[0]?.evidence.value).toBe(10 * ms);
    expect((await fire({ metric: 'latency.p90', above: '1ms' }))[0]?.evidence.value).toBe(9 * ms);
  });

  it('computes error rate and success rate from keygen.timing, with percentages or fractions', async () => {
    const events: FixtureEvent[] = [];
    for (let step = 0; step < 10; step++) {
      events.push(...timings(stepStart(step), 9), ...timings(stepStart(step) + 30_000, 1, { outcome: 'error' }));
    }
    await insertEvents(db.connection, events);
    const [errors] = await fire({ metric: 'error-rate', above: '5%' });
    expect(errors?.title).toBe('error rate of all algorithms is 10%, above 5% for 10m');
    expect(errors?.evidence).toMatchObject({ metric: 'error rate', value: 0.1, baseline: 0.05, events: 100 });
    expect(await fire({ metric: 'error-rate', above: 0.1 })).toEqual([]);
    const [success] = await fire({ metric: 'success-rate', below: 0.95 });
    expect(success?.evidence).toMatchObject({ metric: 'success rate', value: 0.9, baseline: 0.95 });
  });

  it('treats steps with fewer than minEvents events as steps without data, which reset the rule', async () => {
    // Every step: 20 ok keys and 2 failures (2/22 = 9.09 %).
    const events: FixtureEvent[] = [];
    for (let step = 0; step < 10; step++) events.push(...timings(stepStart(step), 20), ...timings(stepStart(step) + 500, 2, { outcome: 'error' }));
    await insertEvents(db.connection, events);
    const [alert] = await fire({ metric: 'error-rate', above: '5%', minEvents: 22 });
    expect(alert?.evidence.value).toBeCloseTo(2 / 22, 12);
    expect(alert?.since).toBe(new Date(windowStart).toISOString());
    // With 23 events needed, no step has data: quiet.
    expect(await fire({ metric: 'error-rate', above: '5%', minEvents: 23 })).toEqual([]);

    // Step 3 holds one lone ok key instead: below minEvents it is a step without data, and still resets the rule.
    await db.connection.run('DELETE FROM event_rows');
    const thin: FixtureEvent[] = [];
    for (let step = 0; step < 10; step++) {
      if (step === 3) thin.push(...timings(stepStart(step), 1));
      else thin.push(...timings(stepStart(step), 20), ...timings(stepStart(step) + 500, 2, { outcome: 'error' }));
    }
    await insertEvents(db.connection, thin);
    expect(await fire({ metric: 'error-rate', above: '5%' })).toEqual([]);
    expect(await fire({ metric: 'error-rate', above: '5%', minEvents: 5 })).toEqual([]);
  });

  it('counts keys per minute, where an empty step is 0 keys/min', async () => {
    const events: FixtureEvent[] = [];
    for (let step = 0; step < 10; step++) events.push(...timings(stepStart(step), step === 6 ? 0 : 12), ...timings(stepStart(step), 3, { outcome: 'error' }));
    await insertEvents(db.connection, events);
    expect(await fire({ metric: 'keys-per-minute', above: 10 })).toEqual([]);
    const [below] = await fire({ metric: 'keys-per-minute', below: 13 });
    expect(below?.evidence.value).toBe(12);
    // Two-minute steps: 24 keys per step = 12 per minute; the step holding the empty minute has 12.
    const [wide] = await fire({ metric: 'keys-per-minute', above: 5, step: '2m' });
    expect(wide?.evidence.value).toBe(6);
  });

  it('honours the algorithm, implementation and operation filters', async () => {
    const events: FixtureEvent[] = [];
    for (let step = 0; step < 10; step++) {
      events.push(
        ...timings(stepStart(step), 5, { algorithm: 'rsa-2048', durationNs: 300 * ms, implementation: 'keyscope', operation: 'generateKeyPair' }),
        ...timings(stepStart(step), 5, { algorithm: 'rsa-2048', durationNs: 20 * ms, implementation: 'node', operation: 'generateKeyPairSync' }),
        ...timings(stepStart(step), 5, { algorithm: 'ed25519', durationNs: 0.05 * ms }),
      );
    }
    await insertEvents(db.connection, events);
    const slow = { metric: 'latency.p50', above: '100ms' };
    expect(await fire({ ...slow, algorithm: 'ed25519' })).toEqual([]);
    expect(await fire({ ...slow, algorithm: 'rsa-2048' })).toEqual([]); // p50 of 10 keys: 20 ms
    expect((await fire({ ...slow, algorithm: 'rsa-2048', implementation: 'keyscope' }))[0]?.title).toBe(
      'p50 latency of rsa-2048 (keyscope) is 300 ms, above 100 ms for 10m',
    );
    expect(await fire({ ...slow, algorithm: 'rsa-2048', implementation: 'node' })).toEqual([]);
    expect((await fire({ ...slow, operation: 'generateKeyPair' }))[0]?.title).toBe('p50 latency of all algorithms via generateKeyPair is 300 ms, above 100 ms for 10m');
    expect(await fire({ ...slow, operation: 'generateKeyPairSync' })).toEqual([]);
  });

  it('reads error rates from api.call events when the source says so', async () => {
    const events: FixtureEvent[] = [];
    for (let step = 0; step < 10; step++) {
      events.push(
        { time: stepStart(step), type: 'api.call', operation: 'exportPrivateKey', algorithm: 'ed25519', outcome: 'error' },
        { time: stepStart(step) + 1, type: 'api.call', operation: 'generateKeyPair', algorithm: 'ed25519', outcome: 'ok' },
        ...timings(stepStart(step), 10),
      );
    }
    await insertEvents(db.connection, events);
    expect(await fire({ metric: 'error-rate', above: '10%' })).toEqual([]);
    expect((await fire({ metric: 'error-rate', above: '10%', source: 'api.call' }))[0]?.evidence.value).toBe(0.5);
    expect(await fire({ metric: 'error-rate', above: '10%', source: 'api.call', operation: 'generateKeyPair' })).toEqual([]);
    expect((await fire({ metric: 'keys-per-minute', below: 2, source: 'api.call' }))[0]?.evidence.value).toBe(1);
  });
});
