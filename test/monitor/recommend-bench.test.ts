import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CaseResult, CompletedCase, RunRecord } from '../../src/model/types.js';
import { recommend } from '../../src/monitor/advice/recommend.js';
import { gatePrecisionLimit } from '../../src/monitor/advice/imprecise-bench-case.js';
import { openStore, type RunStore } from '../../src/store/index.js';
import { insertEvents, openFixtureDatabase, type FixtureDatabase } from '../support/analytics-query-fixtures.js';
import { completed, makeRun, seededRandom } from '../support/store-fixtures.js';

const now = new Date(Date.UTC(2026, 10, 20, 12, 30));
const dayMs = 24 * 60 * 60 * 1000;

/** `count` samples spread ±1% around `typical`, so the case median is `typical` within 1%. */
function around(random: () => number, count: number, typical: number): Float64Array {
  return Float64Array.from({ length: count }, () => Math.round(typical * (0.99 + 0.02 * random())));
}

/** A completed case whose recorded precision (and, for RSA, per-candidate interval) the test chooses. */
function benchCase(random: () => number, options: { algorithm: string; implementation?: string; count: number; typicalNs: number; reached: number; stoppedBy?: CompletedCase['precision']['stoppedBy']; perCandidate?: number }): CompletedCase {
  const c = completed({
    key: { suite: 'keygen', case: options.algorithm, implementation: options.implementation ?? 'keyscope-native', algorithm: options.algorithm },
    parameters: { threads: 1, mode: 'sync' },
    ns: around(random, options.count, options.typicalNs),
    ...(options.stoppedBy === undefined ? {} : { stoppedBy: options.stoppedBy }),
  });
  c.precision = { ...c.precision, reached: options.reached };
  if (options.perCandidate !== undefined) {
    // Per prime candidate: median 100 000 ns with a 99% interval of ±perCandidate.
    const median = 100_000;
    const half = median * options.perCandidate;
    c.summary = { ...c.summary, nsPerCandidate: { ...c.summary.ns, median, medianInterval: { confidence: 0.99, low: median - half, high: median + half } } };
  }
  return c;
}

function runWith(cases: CaseResult[], startedAt: string): RunRecord {
  return { ...makeRun({ startedAt }), cases };
}

const random = seededRandom(11);
const newest = runWith(
  [
    benchCase(random, { algorithm: 'ed25519', count: 100, typicalNs: 40_000, reached: 0.004 }),
    benchCase(random, { algorithm: 'ec-p256', count: 100, typicalNs: 52_000, reached: 0.0451, stoppedBy: 'budget' }),
    // rsa-2048: 2500x ed25519; precise per key.
    benchCase(random, { algorithm: 'rsa-2048', count: 40, typicalNs: 100_000_000, reached: 0.03, stoppedBy: 'budget' }),
    // rsa-3072: imprecise per key (±20%) but its per-candidate median is pinned to ±2%: compare can gate on that.
    benchCase(random, { algorithm: 'rsa-3072', count: 30, typicalNs: 250_000_000, reached: 0.2, perCandidate: 0.02, stoppedBy: 'budget' }),
    // One sample: no interval at all.
    benchCase(random, { algorithm: 'rsa-8192', count: 1, typicalNs: 9_000_000_000, reached: Number.POSITIVE_INFINITY, stoppedBy: 'budget' }),
    // Another implementation with nothing cheaper beside it; x448 too few samples (10) to compare.
    benchCase(random, { algorithm: 'ec-p384', implementation: 'node:crypto', count: 50, typicalNs: 900_000, reached: 0.01 }),
    benchCase(random, { algorithm: 'x448', implementation: 'node:crypto', count: 10, typicalNs: 60_000, reached: 0.01, stoppedBy: 'iterations' }),
    { state: 'errored', key: { suite: 'keygen', case: 'ml-kem-768', implementation: 'keyscope', algorithm: 'ml-kem-768' }, parameters: {}, error: { code: 'KS_UNSUPPORTED_ALGORITHM', message: 'needs OpenSSL 3.5' } },
  ],
  new Date(now.getTime() - 1 * dayMs).toISOString(),
);
// An older run in the window whose imprecise case must not be reported: only the newest run speaks.
const older = runWith([benchCase(random, { algorithm: 'x25519', count: 100, typicalNs: 30_000, reached: 0.5 })], new Date(now.getTime() - 3 * dayMs).toISOString());

let store: RunStore;
beforeAll(async () => {
  store = await openStore(join(mkdtempSync(join(tmpdir(), 'keyscope-recommend-')), 'keyscope.duckdb'));
  await store.saveRun(older);
  await store.saveRun(newest);
});
afterAll(async () => store.close());

describe('recommendations from the run store', () => {
  it('uses the compare gate\'s own tolerance: threshold / sqrt(2) at the default 5%', () => {
    expect(gatePrecisionLimit).toBeCloseTo(0.035355, 6);
  });

  it('flags the costly algorithms, and the imprecise cases of the newest run as one finding, with their evidence', async () => {
    const found = await recommend({ analytics: null, store }, { now });
    expect(found.map((r) => [r.id, r.severity])).toEqual([
      // Medium, the larger saving first: 30 x 250 ms beats 40 x 100 ms.
      ['costlier-than-equal-strength:rsa-3072', 'medium'],
      ['costlier-than-equal-strength:rsa-2048', 'medium'],
      [`imprecise-bench-case:${newest.id}`, 'low'],
    ]);
    expect(found[0]!.impact.value).toBeGreaterThan(found[1]!.impact.value);
    const rsa2048 = found[1]!;
    expect(rsa2048.evidence.source).toBe('bench');
    expect(rsa2048.evidence.values).toMatchObject({ algorithm: 'rsa-2048', alternative: 'ed25519', group: 'keygen/keyscope-native', use: 'signature', securityBits: 112, alternativeSecurityBits: 128, keys: 40, alternativeKeys: 100, runId: newest.id });
    expect(rsa2048.evidence.values['ratio']).toBeGreaterThan(2400);
    expect(rsa2048.evidence.values['ratio']).toBeLessThan(2600);

    const imprecise = found[2]!;
    expect(imprecise.title).toBe(
      "2 bench cases are measured too loosely to gate on (the worst, keygen/rsa-8192 keyscope-native rsa-8192, has too few samples for any interval); compare's ±5.00% gate needs ±3.54% or better",
    );
    expect(imprecise.action).toContain('give the cases that ran out of budget more time (maxTimeMs) or samples (minSamples)');
    expect(imprecise.impact).toEqual({ value: 2, unit: 'bench cases' });
    expect(imprecise.evidence).toEqual({
      source: 'bench',
      values: {
        runId: newest.id,
        runStartedAt: newest.startedAt,
        cases: 2,
        worstPrecision: 'unbounded',
        gateThreshold: 0.05,
        gateConfidence: 0.99,
        precisionLimit: gatePrecisionLimit,
      },
    });
    // Worst first; each case with the samples it would need.
    expect(imprecise.covers).toEqual([
      {
        subject: 'keygen/rsa-8192 keyscope-native rsa-8192',
        values: { suite: 'keygen', case: 'rsa-8192', implementation: 'keyscope-native', algorithm: 'rsa-8192', precision: 'unbounded', samples: 1, stoppedBy: 'budget' },
      },
      {
        subject: 'keygen/ec-p256 keyscope-native ec-p256',
        // 100 * (0.0451 / 0.0353553)^2 = 162.7
        values: { suite: 'keygen', case: 'ec-p256', implementation: 'keyscope-native', algorithm: 'ec-p256', precision: 0.0451, samples: 100, samplesNeeded: 163, stoppedBy: 'budget' },
      },
    ]);
    // JSON has no Infinity: the evidence survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(found))).toEqual(found);
  });

  it('reads only runs that started in the window', async () => {
    // From 2 days back to 2 days after: the window holds no run start once `now` is 5 days on.
    expect(await recommend({ analytics: null, store }, { now: new Date(now.getTime() + 5 * dayMs), since: new Date(now.getTime() + 2 * dayMs) })).toEqual([]);
    // Ending before the newest run: the older one speaks.
    const before = await recommend({ analytics: null, store }, { now: new Date(now.getTime() - 2 * dayMs) });
    expect(before.map((r) => [r.id, r.covers.map((c) => c.subject)])).toEqual([[`imprecise-bench-case:${older.id}`, ['keygen/x25519 keyscope-native x25519']]]);
  });
});

describe('recommendations from both sources', () => {
  let db: FixtureDatabase;
  beforeAll(async () => {
    db = await openFixtureDatabase();
    const recent = now.getTime() - dayMs;
    const timing = (algorithm: string, durationNs: number, i: number) => ({
      time: recent + i * 1000,
      type: 'keygen.timing' as const,
      operation: 'generateKeyPair',
      algorithm,
      outcome: 'ok' as const,
      durationNs,
      properties: { implementation: 'keyscope', cycles: null },
    });
    await insertEvents(db.connection, [
      ...Array.from({ length: 20 }, (_, i) => timing('rsa-3072', 400_000_000, i)),
      ...Array.from({ length: 20 }, (_, i) => timing('ec-p256', 60_000, i)),
    ]);
  });
  afterAll(() => db.close());

  it('prefers what people actually generated to a bench run when both name an algorithm', async () => {
    const found = await recommend({ analytics: db.connection, store }, { now });
    expect(found.map((r) => [r.id, r.evidence.source])).toEqual([
      ['costlier-than-equal-strength:rsa-3072', 'analytics'],
      ['costlier-than-equal-strength:rsa-2048', 'bench'],
      [`imprecise-bench-case:${newest.id}`, 'bench'],
    ]);
    expect(found[0]!.evidence.values).toMatchObject({ alternative: 'ec-p256', keys: 20 });
  });
});
