import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { hdrHighestEquivalent } from '../../src/stats/hdr-buckets.js';
import { evaluateAlerts } from '../../src/monitor/alerts/evaluate.js';
import { type FixtureDatabase, type FixtureEvent, insertEvents, openFixtureDatabase } from '../support/analytics-query-fixtures.js';
import { hour, minute, rulesConfig, timings } from '../support/alert-fixtures.js';

/** 12:30: the latest complete 1h bucket is [11:00, 12:00); 48 hourly buckets of history before it. */
const latestBucket = Date.UTC(2025, 5, 10, 11);
const now = new Date(latestBucket + hour + 30 * minute);
const ms = 1_000_000;
const historyHours = 48;
const hourStart = (hoursBack: number) => latestBucket - hoursBack * hour;

let db: FixtureDatabase;
beforeEach(async () => {
  db = await openFixtureDatabase();
});
afterEach(() => db.close());

const detector = { enabled: true, bucket: '1h', history: '48h', minHistory: 20, zThreshold: 4 };
const latencyOnly = rulesConfig({ anomaly: { latency: detector, rate: { enabled: false } } });
const rateOnly = rulesConfig({ anomaly: { latency: { enabled: false }, rate: detector } });

/** `hours` hours of history for rsa-2048, 5 keys an hour at 98-102 ms (varying by hour), then the latest hour. */
async function latencyHistory(hours: number, latestNs: number) {
  const events: FixtureEvent[] = [];
  for (let back = hours; back >= 1; back--) events.push(...timings(hourStart(back), 5, { durationNs: (100 + ((back * 3) % 5) - 2) * ms }, hour));
  events.push(...timings(latestBucket, 5, { durationNs: latestNs }, hour));
  // The current, incomplete hour is not scored, however slow.
  events.push(...timings(latestBucket + hour, 5, { durationNs: 900 * ms }, 20 * minute));
  await insertEvents(db.connection, events);
}

describe('latency anomaly (per-algorithm p50 per bucket)', () => {
  it('fires on a planted spike with its evidence', async () => {
    await latencyHistory(historyHours, 300 * ms);
    const alerts = await evaluateAlerts(db.connection, latencyOnly, { now });
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({
      id: 'anomaly.latency:rsa-2048',
      rule: 'anomaly.latency',
      kind: 'anomaly',
      severity: 'warning',
      algorithm: 'rsa-2048',
      since: new Date(latestBucket).toISOString(),
    });
    const evidence = alert!.evidence;
    expect(evidence.value).toBe(hdrHighestEquivalent(300 * ms));
    expect(evidence.window).toEqual({ since: new Date(latestBucket).toISOString(), until: new Date(latestBucket + hour).toISOString() });
    expect(evidence.events).toBe(5);
    expect(evidence.scoreThreshold).toBe(4);
    // The baseline is the median of the hourly p50s (~100 ms, HDR-rounded); the scale is the 5 % noise floor.
    expect(evidence.baseline).toBeGreaterThan(97 * ms);
    expect(evidence.baseline).toBeLessThan(103 * ms);
    expect(evidence.detectors?.map((d) => [d.detector, d.fired])).toEqual([
      ['robust-z', true],
      ['ewma', true],
    ]);
    expect(evidence.score).toBeCloseTo((evidence.value - evidence.baseline) / evidence.detectors![0]!.scale, 9);
    expect(alert!.title).toMatch(/^latency anomaly: p50 of rsa-2048 was 30\d ms in the 1h to 2025-06-10T12:00:00.000Z, baseline \d+(\.\d+)? ms \(robust z \d+\.\d ≥ 4; EWMA \d+\.\d ≥ 4\)$/);
  });

  it('is quiet on noise alone', async () => {
    await latencyHistory(historyHours, 101 * ms);
    expect(await evaluateAlerts(db.connection, latencyOnly, { now })).toEqual([]);
  });

  it('is quiet until minHistory buckets of history exist', async () => {
    await latencyHistory(19, 300 * ms);
    expect(await evaluateAlerts(db.connection, latencyOnly, { now })).toEqual([]);
    await insertEvents(db.connection, timings(hourStart(20), 5, { durationNs: 100 * ms }, hour));
    expect(await evaluateAlerts(db.connection, latencyOnly, { now })).toHaveLength(1);
  });

  it('works with buckets narrower than an hour (read from raw events)', async () => {
    const events: FixtureEvent[] = [];
    const latest = latestBucket + 50 * minute; // [11:50, 12:00) is the latest complete 10m bucket at 12:05.
    for (let back = 30; back >= 1; back--) events.push(...timings(latest - back * 10 * minute, 3, { durationNs: 10 * ms }, 10 * minute));
    events.push(...timings(latest, 3, { durationNs: 40 * ms }, 10 * minute));
    await insertEvents(db.connection, events);
    const config = rulesConfig({ anomaly: { latency: { ...detector, bucket: '10m', history: '6h' }, rate: { enabled: false } } });
    const alerts = await evaluateAlerts(db.connection, config, { now: new Date(latestBucket + hour + 5 * minute) });
    expect(alerts.map((a) => [a.id, a.evidence.value, a.evidence.baseline])).toEqual([['anomaly.latency:rsa-2048', hdrHighestEquivalent(40 * ms), hdrHighestEquivalent(10 * ms)]]);
  });
});

describe('rate anomaly (keys per bucket)', () => {
  /** 10 keys an hour of rsa-2048 for 48 hours, then `latest` keys. */
  async function rateHistory(latest: number, extra: FixtureEvent[] = []) {
    const events: FixtureEvent[] = [...extra];
    for (let back = historyHours; back >= 1; back--) events.push(...timings(hourStart(back), 10, {}, hour));
    events.push(...timings(latestBucket, latest, {}, hour));
    await insertEvents(db.connection, events);
  }

  it('fires on a surge, scaled by the count noise floor when MAD is 0', async () => {
    await rateHistory(100);
    const alerts = await evaluateAlerts(db.connection, rateOnly, { now });
    expect(alerts.map((a) => a.id)).toEqual(['anomaly.rate:rsa-2048']);
    const evidence = alerts[0]!.evidence;
    // A flat history: median 10, MAD 0, so the scale is √10 (Poisson noise of a count of 10).
    expect(evidence).toMatchObject({ metric: 'keys per 1h', value: 100, baseline: 10, events: 100, score: 90 / Math.sqrt(10) });
    expect(evidence.detectors?.[0]).toMatchObject({ detector: 'robust-z', baseline: 10, scale: Math.sqrt(10), fired: true });
  });

  it('is quiet on a flat history with a small wobble (MAD = 0)', async () => {
    await rateHistory(15);
    expect(await evaluateAlerts(db.connection, rateOnly, { now })).toEqual([]);
  });

  it('counts hours without keys as 0 once the algorithm is in use, and not before', async () => {
    // ed25519: first used 30 hours ago, 10 keys every other hour (so the median is 5), then 40.
    const ed25519: FixtureEvent[] = [];
    for (let back = 30; back >= 1; back--) if (back % 2 === 0) ed25519.push(...timings(hourStart(back), 10, { algorithm: 'ed25519' }, hour));
    ed25519.push(...timings(latestBucket, 40, { algorithm: 'ed25519' }, hour));
    // ec-p256: new in the latest hour: no history, no alert.
    ed25519.push(...timings(latestBucket, 500, { algorithm: 'ec-p256' }, hour));
    await rateHistory(10, ed25519);
    const alerts = await evaluateAlerts(db.connection, rateOnly, { now });
    expect(alerts.map((a) => [a.id, a.evidence.baseline, a.evidence.value])).toEqual([['anomaly.rate:ed25519', 5, 40]]);
  });
});
