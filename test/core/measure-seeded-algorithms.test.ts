import { expect, it } from 'vitest';

import { measureKeygen } from '../../src/index.js';

it.each(['ec-p256', 'ed25519', 'x25519', 'rsa-1024'] as const)('measures seeded %s keys', async (algorithm) => {
  const result = await measureKeygen(algorithm, { iterations: 20, seed: 42, counters: false, allowWeak: algorithm === 'rsa-1024' });
  expect(result.iterations).toBe(20);
  expect(result.samples.ns).toHaveLength(20);
  expect(Math.min(...result.samples.ns)).toBeGreaterThan(0);
  if (algorithm.startsWith('rsa-')) {
    expect(result.samples.candidates).toHaveLength(20);
    expect(Math.min(...result.samples.candidates!)).toBeGreaterThanOrEqual(2);
  } else {
    expect(result.samples.candidates).toBeNull();
  }
});

it('measures seeded keys on a time budget too', async () => {
  const result = await measureKeygen('ec-p256', { timeMs: 50, seed: 1, firstKey: 100, counters: false });
  expect(result.iterations).toBeGreaterThan(0);
});
