import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, it } from 'vitest';

import type { BenchHelperAddon } from '../../bench/bare-loop.js';
import { measureKeygen } from '../../src/index.js';
import { median } from '../support/stats.js';

// The bench helper (never shipped) of the build under test: build-asan/ when the sanitizer run names its addon.
const require = createRequire(import.meta.url);
const explicit = process.env['KEYSCOPE_ADDON'];
const helper = explicit ? join(dirname(explicit), '..', 'bench', 'keyscope_bench.node') : fileURLToPath(new URL('../../build/bench/keyscope_bench.node', import.meta.url));
const bench = require(helper) as Pick<BenchHelperAddon, 'measureSeeded'>;

it("draws the same stream as measureKeygen's seeded loop", async () => {
  const loop = await bench.measureSeeded('rsa-1024', 7, 2, 4, 0);
  const measured = await measureKeygen('rsa-1024', { iterations: 4, seed: 7, firstKey: 2, allowWeak: true, counters: false });
  expect(Array.from(loop.candidates!)).toEqual(Array.from(measured.samples.candidates!));
  expect(Array.from(loop.rounds!)).toEqual(Array.from(measured.samples.rounds!));
});

it('slows every key by the handicap fraction of its own time, searching the same primes', async () => {
  // Key by key, alternating, so that a change in machine load hits both sides alike.
  const ratios: number[] = [];
  for (let key = 0; key < 12; key++) {
    const plain = await bench.measureSeeded('rsa-1024', 3, key, 1, 0);
    const slowed = await bench.measureSeeded('rsa-1024', 3, key, 1, 1);
    expect(slowed.candidates![0]).toBe(plain.candidates![0]);
    ratios.push(slowed.ns[0]! / plain.ns[0]!);
  }
  // A handicap of 1 doubles each key's time; only noise between two runs of the same key moves the ratio.
  expect(median(ratios)).toBeGreaterThan(1.5);
  expect(median(ratios)).toBeLessThan(2.6);
});

it('measures seeded EC keys with no search work', async () => {
  const loop = await bench.measureSeeded('ec-p256', 1, 0, 10, 0.02);
  expect(loop.ns).toHaveLength(10);
  expect(loop.candidates).toBeNull();
});

it('rejects arguments it cannot use', () => {
  expect(() => bench.measureSeeded('rsa-1024', -1, 0, 1, 0)).toThrow(/seed must be a whole number/);
  expect(() => bench.measureSeeded('ec-p256', 1, 0, 1, -0.1)).toThrow(/handicapFraction/);
  expect(() => bench.measureSeeded('nope', 1, 0, 1, 0)).toThrow(/unknown algorithm/);
});
