import { expect, it } from 'vitest';

import type { AdaptiveProgress } from '../../src/bench/adaptive.js';
import { resolveCaseBudget } from '../../src/bench/case-budget.js';
import { openCase, runCase, seedBlockStride } from '../../src/bench/run-case.js';
import { measureKeygen } from '../../src/index.js';

it('continues the seeded stream across batches and records the seed and its layout', async () => {
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
  expect(result.parameters).toEqual({ note: 'x', seed: 123, seedBlockStride: 2 ** 32 });
  expect(batches.length).toBeGreaterThan(1);
  // However the sampler cut it into batches, the case's keys are keys 0..n-1 of the seed's stream.
  const n = result.samples.ns.length;
  const whole = await measureKeygen('rsa-1024', { iterations: n, seed: 123, allowWeak: true, counters: false });
  expect(Array.from(result.samples.candidates!)).toEqual(Array.from(whole.samples.candidates!));
});

it('lays seeded keys out by block: block p draws keys from p × seedBlockStride, or from the position it is given', async () => {
  const budget = resolveCaseBudget('rsa-1024', [{ minSamples: 2, maxSamples: 2, maxTimeMs: 60_000 }], false);
  const measurement = openCase('seeded-test', { kind: 'native', name: 'keygen-seeded', algorithm: 'rsa-1024', allowWeak: true, seed: 123 }, budget);
  const context = { budget, cpu: null, handicap: null };
  await measurement.measureBlock(context);
  await measurement.measureBlock(context);
  // A block measured elsewhere took position 2 (an interleaved session's other process): this one is the fourth.
  await measurement.measureBlock({ ...context, position: 3 });
  const result = measurement.result();
  if (result.state !== 'completed') throw new Error(`case ${result.state}`);
  expect(result.blocks.map((b) => b.samples)).toEqual([2, 2, 2]);
  const keysFrom = async (position: number) =>
    Array.from((await measureKeygen('rsa-1024', { iterations: 2, seed: 123, firstKey: position * seedBlockStride, allowWeak: true, counters: false })).samples.candidates!);
  const expected = [...(await keysFrom(0)), ...(await keysFrom(1)), ...(await keysFrom(3))];
  expect(Array.from(result.samples.candidates!)).toEqual(expected);
  // The layout matters: block 1's keys are not keys 2 and 3 of the stream (the old, continuous numbering).
  const continuous = Array.from((await measureKeygen('rsa-1024', { iterations: 4, seed: 123, allowWeak: true, counters: false })).samples.candidates!);
  expect(expected.slice(0, 4)).not.toEqual(continuous);
});

it('records no seed for unseeded cases', async () => {
  const budget = resolveCaseBudget('ed25519', [{ minSamples: 5, maxTimeMs: 50 }], false);
  const result = await runCase('seeded-test', { kind: 'native', name: 'keygen', algorithm: 'ed25519' }, budget);
  expect(result.parameters).toEqual({});
});
