import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { recommend } from '../../src/monitor/advice/recommend.js';
import { costlierThanEqualStrength, type MedianMeasurement } from '../../src/monitor/advice/costlier-than-equal-strength.js';
import { securityStrength } from '../../src/monitor/advice/security-strength.js';
import { type FixtureDatabase, type FixtureEvent, insertEvents, openFixtureDatabase } from '../support/analytics-query-fixtures.js';

const now = new Date(Date.UTC(2026, 10, 20, 12, 30));
const dayMs = 24 * 60 * 60 * 1000;
const recent = now.getTime() - 2 * dayMs;

function timings(count: number, algorithm: string, durationNs: number, options: { api?: string; implementation?: string; at?: number; outcome?: 'ok' | 'error' } = {}): FixtureEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    time: (options.at ?? recent) + i * 1000,
    type: 'keygen.timing',
    operation: options.api ?? 'generateKeyPairSync',
    algorithm,
    outcome: options.outcome ?? 'ok',
    durationNs,
    properties: { implementation: options.implementation ?? 'keyscope', cycles: null },
  }));
}

function apiCalls(count: number, algorithm: string, api: string): FixtureEvent[] {
  return Array.from({ length: count }, (_, i) => ({ time: recent + i * 1000, type: 'api.call', operation: api, algorithm, outcome: 'ok', properties: {} }));
}

// HDR buckets at 2 significant digits (a value keeps its top 8 bits; percentiles report a bucket's highest value):
// 300 ms lies in 299 892 736..301 989 887, 25 µs in 24 960..25 087.
const rsa3072P50 = 301_989_887;
const x25519P50 = 25_087;

const events: FixtureEvent[] = [
  // keyscope: rsa-3072 (128-bit) costs 300 ms; x25519, ed25519 and ec-p256 are as strong and far cheaper.
  ...timings(20, 'rsa-3072', 300_000_000),
  ...timings(20, 'x25519', 25_000),
  ...timings(20, 'ed25519', 30_000),
  ...timings(20, 'ec-p256', 50_000),
  // Failed generations are not costs: they must not make ed448 look cheap or rsa-3072 dear.
  ...timings(30, 'rsa-3072', 9_000_000_000, { outcome: 'error' }),
  // ed448 (224-bit) is 13x ed25519 but nothing as strong was measured: no alternative.
  ...timings(20, 'ed448', 400_000),
  // rsa-2048 made synchronously in 40 ms: under the 50 ms p90 line, and too few keys (10) to compare costs.
  ...timings(10, 'rsa-2048', 40_000_000),
  // rsa-4096 made asynchronously: never blocking; 4 sync keys are too few to judge.
  ...timings(10, 'rsa-4096', 600_000_000, { api: 'generateKeyPair' }),
  ...timings(4, 'rsa-4096', 600_000_000),
  // Another implementation: x25519 is 50x ed25519, but a signature key cannot stand in for key agreement.
  ...timings(20, 'x25519', 1_000_000, { implementation: 'node:crypto' }),
  ...timings(20, 'ed25519', 20_000, { implementation: 'node:crypto' }),
  // webcrypto's rsa-2048 has nothing to compare with in its own implementation (keyscope's x25519 does not count).
  ...timings(25, 'rsa-2048', 100_000_000, { implementation: 'webcrypto', api: 'generateKeyPair' }),
  // 40 days ago, outside the default 30-day window: 25 sync rsa-2048 keys at 900 ms.
  ...timings(25, 'rsa-2048', 900_000_000, { at: now.getTime() - 40 * dayMs }),
  ...apiCalls(20, 'rsa-3072', 'generateKeyPairSync'),
  ...apiCalls(3, 'rsa-3072', 'generateKeyPair'),
];

let db: FixtureDatabase;
beforeAll(async () => {
  db = await openFixtureDatabase();
  await insertEvents(db.connection, events);
});
afterAll(() => db.close());

describe('security strength table', () => {
  it('takes the strengths of the algorithm table (RSA by SP 800-56B, as OpenSSL), with the uses each key can serve', () => {
    expect(['rsa-1024', 'rsa-2048', 'rsa-3072', 'rsa-4096', 'rsa-7680', 'rsa-15360', 'ec-p256', 'ec-p384', 'ec-p521', 'ed25519', 'ed448', 'x25519', 'x448'].map((id) => securityStrength(id)?.bits)).toEqual([
      80, 112, 128, 152, 192, 256, 128, 192, 256, 128, 224, 128, 224,
    ]);
    expect(securityStrength('ed25519')!.uses).toEqual(['signature']);
    expect(securityStrength('x448')!.uses).toEqual(['key-establishment']);
    expect(securityStrength('rsa-512')).toBeNull();
    expect(securityStrength('dsa-2048')).toBeNull();
  });

  it('marks ML-KEM and ML-DSA, and only them, post-quantum', () => {
    const ids = ['ml-kem-512', 'ml-kem-768', 'ml-kem-1024', 'ml-dsa-44', 'ml-dsa-65', 'ml-dsa-87', 'rsa-15360', 'ec-p521', 'ed448', 'x448', 'x25519'];
    expect(ids.map((id) => securityStrength(id)?.postQuantum)).toEqual([true, true, true, true, true, true, false, false, false, false, false]);
  });
});

describe('post-quantum algorithms in cost recommendations', () => {
  const measured = (algorithm: string, medianNs: number): MedianMeasurement => ({ algorithm, group: 'keyscope', medianNs, samples: 50 });
  const suggestions = (measurements: MedianMeasurement[]) =>
    costlierThanEqualStrength(measurements, { source: 'bench' }).map((r) => [r.evidence.values['algorithm'], r.evidence.values['alternative']]);

  it('never suggests a classical algorithm in place of a post-quantum one, however much cheaper and stronger in bits', () => {
    // ml-kem-768 (192-bit, PQ) at 10 ms; ec-p521 (256-bit, classical, key establishment) and x448 (224-bit) 100x cheaper.
    expect(suggestions([measured('ml-kem-768', 10_000_000), measured('ec-p521', 100_000), measured('x448', 80_000)])).toEqual([]);
    // ml-dsa-65 (signature, PQ) against ed448 and ec-p521: the same.
    expect(suggestions([measured('ml-dsa-65', 10_000_000), measured('ed448', 100_000), measured('ec-p521', 100_000)])).toEqual([]);
    // A post-quantum alternative is still suggested, even when a classical one is cheaper.
    expect(suggestions([measured('ml-kem-768', 10_000_000), measured('x448', 80_000), measured('ml-kem-1024', 500_000)])).toEqual([['ml-kem-768', 'ml-kem-1024']]);
  });

  it('suggests a post-quantum algorithm in place of a classical one', () => {
    // rsa-3072 (128-bit, both uses) at 300 ms; ml-kem-768 and ml-dsa-44 are as strong and far cheaper; ml-kem-768 is cheapest.
    const [recommendation] = costlierThanEqualStrength([measured('rsa-3072', 300_000_000), measured('ml-dsa-44', 200_000), measured('ml-kem-768', 60_000)], { source: 'bench' });
    expect(recommendation?.evidence.values).toMatchObject({ algorithm: 'rsa-3072', alternative: 'ml-kem-768', use: 'key-establishment', securityBits: 128, alternativeSecurityBits: 192 });
  });
});

describe('recommendations from analytics', () => {
  it('finds exactly the costly algorithm and the blocking sync RSA, with their evidence', async () => {
    const found = await recommend({ analytics: db.connection, store: null }, { now });
    const window = { since: new Date(now.getTime() - 30 * dayMs).toISOString(), until: now.toISOString() };
    expect(found).toEqual([
      // Ranked by severity: a blocked event loop (high) before a cost (medium).
      {
        id: 'sync-rsa-blocks-event-loop',
        kind: 'sync-rsa-blocks-event-loop',
        severity: 'high',
        impact: { value: (rsa3072P50 * 20) / 1e6, unit: 'ms the event loop was held' },
        title: "generateKeyPairSync('rsa-3072') blocks the event loop for 301.99 ms (p50), 301.99 ms (p90)",
        action: expect.stringContaining("generateKeyPair('rsa-3072') (async)") as string,
        covers: [{ subject: 'rsa-3072', values: { algorithm: 'rsa-3072', calls: 20, keys: 20, p50Ms: 301.99, p90Ms: 301.99 } }],
        evidence: {
          source: 'analytics',
          values: { api: 'generateKeyPairSync', sizes: 1, keys: 20, worstP90Ms: 301.99, thresholdMs: 50 },
          window,
        },
      },
      {
        id: 'costlier-than-equal-strength:rsa-3072',
        kind: 'costlier-than-equal-strength',
        severity: 'medium',
        impact: { value: ((rsa3072P50 - x25519P50) * 20) / 1e6, unit: 'ms of key generation' },
        title: 'rsa-3072 keys cost 301.99 ms (median); x25519 (128-bit, at least rsa-3072\'s 128) costs 25.1 µs, 12038x less',
        action: expect.stringContaining('used for key establishment, generate x25519 keys instead') as string,
        covers: [{ subject: 'rsa-3072', values: { alternative: 'x25519', medianNs: rsa3072P50, alternativeMedianNs: x25519P50, keys: 20 } }],
        evidence: {
          source: 'analytics',
          values: {
            algorithm: 'rsa-3072',
            alternative: 'x25519',
            group: 'keyscope',
            use: 'key-establishment',
            securityBits: 128,
            alternativeSecurityBits: 128,
            medianNs: rsa3072P50,
            alternativeMedianNs: x25519P50,
            ratio: rsa3072P50 / x25519P50,
            keys: 20,
            alternativeKeys: 20,
          },
          window,
        },
      },
    ]);
  });

  it('looks only inside the window it is given', async () => {
    // From 45 days back the old rsa-2048 sync keys (900 ms, 25 of them) count too: they block, and cost 36000x x25519.
    const wide = await recommend({ analytics: db.connection, store: null }, { now, since: new Date(now.getTime() - 45 * dayMs) });
    // One finding for both blocking sizes (longest held first: 25 x 900 ms, then 20 x 302 ms), ranked first
    // (high); then the costs, the larger saving first.
    expect(wide.map((r) => [r.id, r.severity, r.covers.map((c) => c.subject)])).toEqual([
      ['sync-rsa-blocks-event-loop', 'high', ['rsa-2048', 'rsa-3072']],
      ['costlier-than-equal-strength:rsa-2048', 'medium', ['rsa-2048']],
      ['costlier-than-equal-strength:rsa-3072', 'medium', ['rsa-3072']],
    ]);
    expect(wide[0]!.title).toMatch(/^generateKeyPairSync blocks the event loop for 2 RSA sizes, up to 90\d\.\d+ ms \(p90, rsa-2048\)$/);
    expect(wide[0]!.action).toContain("for 'rsa-2048', 'rsa-3072'");
    // A window that ends before the recent events sees only the old ones; one after everything sees nothing.
    const old = await recommend({ analytics: db.connection, store: null }, { now: new Date(now.getTime() - 39 * dayMs) });
    expect(old.map((r) => [r.id, r.covers.map((c) => c.subject)])).toEqual([['sync-rsa-blocks-event-loop', ['rsa-2048']]]);
    expect(await recommend({ analytics: db.connection, store: null }, { now: new Date(now.getTime() + 60 * dayMs) })).toEqual([]);
  });

  it('recommends nothing without data', async () => {
    const empty = await openFixtureDatabase();
    try {
      expect(await recommend({ analytics: empty.connection, store: null }, { now })).toEqual([]);
      expect(await recommend({ analytics: null, store: null }, { now })).toEqual([]);
    } finally {
      empty.close();
    }
  });
});
