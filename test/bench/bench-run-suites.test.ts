import { describe, expect, it } from 'vitest';

import { defineSuite, runSuites } from '../../src/index.js';

const suite = defineSuite({
  name: 'tiny',
  budget: { maxTimeMs: 300, minSamples: 20 },
  cases: ({ quick }) => [
    { kind: 'native', name: 'keygen', algorithm: 'ed25519' },
    { kind: 'js', name: 'noop-sum', implementation: 'plain-js', algorithm: '', fn: () => [1, 2, 3].reduce((a, b) => a + b, 0), parameters: { quick } },
    { kind: 'js', name: 'fails', implementation: 'plain-js', algorithm: '', fn: () => { throw new Error('boom'); } },
    { kind: 'js', name: 'absent', implementation: 'webcrypto', algorithm: 'ec-secp256k1', fn: () => 0, skip: 'WebCrypto has no ec-secp256k1 key type' },
    { kind: 'native', name: 'keygen', algorithm: 'rsa-1000' as 'rsa-2048' },
    { kind: 'throughput', name: 'throughput', algorithm: 'ec-p256', threads: 2, durationMs: 150 },
  ],
});

describe('runSuites', async () => {
  const events: string[] = [];
  const run = await runSuites([suite], { quick: true, label: 'test', onEvent: (e) => events.push(e.type) });
  const [native, js, failing, skipped, invalid, throughput] = run.cases;

  it('returns a complete run with identity, git state and environment', () => {
    expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.status).toBe('complete');
    expect(run.label).toBe('test');
    expect(Date.parse(run.endedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
    expect(run.environment).toMatchObject({ node: process.version, openssl: process.versions.openssl, addonBuild: expect.any(String) });
    expect(run.environment.countersAvailable).toContain('task-clock');
    expect(run.cases).toHaveLength(6);
    expect(events.filter((e) => e === 'case-end')).toHaveLength(6);
  });

  it('measures native cases with cycles, summaries and a histogram', () => {
    expect(native!.state).toBe('completed');
    if (native!.state !== 'completed') return;
    expect(native!.key).toEqual({ suite: 'tiny', case: 'keygen', implementation: 'keyscope-native', algorithm: 'ed25519' });
    // --quick caps the suite's minimum of 20 samples at 10; how many more fit in 300 ms depends on the build (ASan).
    expect(native!.samples.ns.length).toBeGreaterThanOrEqual(10);
    expect(native!.summary.ns.median).toBeGreaterThan(1000);
    expect(native!.histograms.ns.length).toBeGreaterThan(10);
    expect(native!.counters['task-clock']?.available).toBe(true);
  });

  it('samples JS cases with tinybench, one sample per call', () => {
    expect(js!.state).toBe('completed');
    if (js!.state !== 'completed') return;
    expect(js!.parameters).toEqual({ quick: true });
    expect(js!.samples.cycles).toBeNull();
    expect(js!.summary.ns.median).toBeLessThan(100_000);
  });

  it('records errors and skips as such, and goes on', () => {
    expect(failing).toMatchObject({ state: 'errored', error: { message: expect.stringContaining('boom') } });
    expect(skipped).toMatchObject({ state: 'skipped', reason: 'WebCrypto has no ec-secp256k1 key type' });
    expect(invalid).toMatchObject({ state: 'errored', error: { code: 'KS_INVALID_KEY_SIZE' } });
  });

  it('reports throughput of all threads together', () => {
    expect(throughput!.state).toBe('completed');
    if (throughput!.state !== 'completed') return;
    expect(throughput!.parameters).toEqual({ threads: 2 });
    expect(throughput!.throughput).toBeGreaterThan(1000);
  });
});

it('comes back aborted, with the cases finished so far, when its signal aborts', async () => {
  const controller = new AbortController();
  const slow = defineSuite({
    name: 'slow',
    cases: () => [
      { kind: 'native', name: 'a', algorithm: 'ed25519', budget: { maxTimeMs: 100, precision: 1e-9 } },
      { kind: 'native', name: 'b', algorithm: 'rsa-2048', budget: { maxTimeMs: 60_000, precision: 1e-9 } },
      { kind: 'native', name: 'c', algorithm: 'ed25519' },
    ],
  });
  const run = await runSuites([slow], {
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'case-start' && e.key.case === 'b') setTimeout(() => controller.abort(new Error('interrupted')), 300);
    },
  });
  expect(run.status).toBe('aborted');
  expect(run.cases.map((c) => c.key.case)).toEqual(['a']);
}, 30_000);
