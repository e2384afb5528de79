import { expect, it } from 'vitest';

import type { AdaptiveProgress } from '../../src/bench/adaptive.js';
import { resolveCaseBudget } from '../../src/bench/case-budget.js';
import { runCase } from '../../src/bench/run-case.js';
import { measureKeygen } from '../../src/index.js';

it('continues the seeded stream across batches and records the seed', async () => {
  // A first batch of 3 and a cap of 8 make at least two batches however fast or slow the build (ASan) is.
  const budget = resolveCaseBudget('rsa-1024', [{ minSamples: 3, maxSamples: 8, maxTimeMs: 60_000, precision: 1e-6 }], false);
  const batches: AdaptiveProgress[] = [];
  const result = await runCase(
    'seeded-test',
    { kind: 'native', name: 'keygen-seeded', algorithm: 'rsa-1024', allowWeak: true, seed: 123, parameters: { note: 'x' } },
    budget,
    (progress) => batches.push(progress),
  );
  expect(result.state).toBe('completed');
  if (result.state !== 'completed') return;
  expect(result.parameters).toEqual({ note: 'x', seed: 123 });
  expect(batches.length).toBeGreaterThan(1);
  // However the sampler cut it into batches, the case's keys are keys 0..n-1 of the seed's stream.
  const n = result.samples.ns.length;
  const whole = await measureKeygen('rsa-1024', { iterations: n, seed: 123, allowWeak: true, counters: false });
  expect(Array.from(result.samples.candidates!)).toEqual(Array.from(whole.samples.candidates!));
});

it('records no seed for unseeded cases', async () => {
  const budget = resolveCaseBudget('ed25519', [{ minSamples: 5, maxTimeMs: 50 }], false);
  const result = await runCase('seeded-test', { kind: 'native', name: 'keygen', algorithm: 'ed25519' }, budget);
  expect(result.parameters).toEqual({});
});
