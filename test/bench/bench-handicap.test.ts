/**
 * KEYSCOPE_BENCH_HANDICAP, the known slowdown the gate's power is measured with: how it is read, and that it
 * really slows what it wraps (lower bounds only, which hold on any machine: the hook spins until a deadline).
 */
import { describe, expect, it } from 'vitest';

import { handicapFromEnvironment, withHandicap } from '../../src/bench/handicap.js';
import { measureKeygen } from '../../src/index.js';
import { median } from '../../src/stats/index.js';

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('KEYSCOPE_BENCH_HANDICAP', () => {
  it('reads a percentage or a fraction, and nothing as no handicap', () => {
    expect(handicapFromEnvironment({ KEYSCOPE_BENCH_HANDICAP: '10%' })).toBeCloseTo(0.1, 12);
    expect(handicapFromEnvironment({ KEYSCOPE_BENCH_HANDICAP: '0.25' })).toBe(0.25);
    expect(handicapFromEnvironment({ KEYSCOPE_BENCH_HANDICAP: ' ' })).toBeNull();
    expect(handicapFromEnvironment({})).toBeNull();
  });

  it.each(['fast', '0', '150%', '5'])('refuses %j with a coded error naming the variable', (text) => {
    expect(() => handicapFromEnvironment({ KEYSCOPE_BENCH_HANDICAP: text })).toThrow(expect.objectContaining({ code: 'KS_INVALID_OPTION', message: expect.stringContaining(`KEYSCOPE_BENCH_HANDICAP`) }));
  });
});

describe('withHandicap', () => {
  it('makes a call take at least (1 + handicap) times its own time, and returns its value', () => {
    const slowed = withHandicap(() => {
      busyFor(20);
      return 'done';
    }, 0.5);
    const started = performance.now();
    expect(slowed()).toBe('done');
    expect(performance.now() - started).toBeGreaterThanOrEqual(30);
  });

  it('times a promise until it settles', async () => {
    // The promise's own time, as it saw it: a 20 ms timer can fire a fraction of a millisecond early by
    // performance.now() (libuv keeps its loop time in whole milliseconds), which once made "at least 40 ms" fail.
    let own = 0;
    const slowed = withHandicap(() => {
      const begun = performance.now();
      return new Promise((resolve) => setTimeout(() => ((own = performance.now() - begun), resolve(7)), 20));
    }, 1);
    const started = performance.now();
    await expect(slowed()).resolves.toBe(7);
    expect(own).toBeGreaterThan(15);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * own);
  });
});

describe('measureKeygen({ handicap })', () => {
  it('refuses a handicap outside 0..1', async () => {
    await expect(measureKeygen('ed25519', { iterations: 1, handicap: 2 })).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
    await expect(measureKeygen('ed25519', { iterations: 1, handicap: -0.1 })).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
  });

  it('slows every key inside the timed region: a 100% handicap about doubles the median', async () => {
    // Interleaved so that the machine's drift hits both alike; the bound is loose (2x expected, 1.4x required).
    const honest: number[] = [];
    const slowed: number[] = [];
    for (let round = 0; round < 5; round++) {
      honest.push(median((await measureKeygen('ed25519', { iterations: 200, warmup: 10 })).samples.ns));
      slowed.push(median((await measureKeygen('ed25519', { iterations: 200, warmup: 10, handicap: 1 })).samples.ns));
    }
    expect(median(slowed) / median(honest)).toBeGreaterThan(1.4);
  });
});
