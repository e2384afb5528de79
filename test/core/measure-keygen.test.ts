import { describe, expect, it } from 'vitest';

import { measureKeygen } from '../../src/index.js';
import { median } from '../support/stats.js';

describe('measureKeygen', () => {
  it('returns one sample per iteration on both clocks', async () => {
    const result = await measureKeygen('ed25519', { iterations: 300, warmup: 10 });
    expect(result.algorithm).toBe('ed25519');
    expect(result.iterations).toBe(300);
    expect(result.samples.ns).toBeInstanceOf(Float64Array);
    expect(result.samples.ns).toHaveLength(300);
    expect(Math.min(...result.samples.ns)).toBeGreaterThan(0);
    expect(result.samples.candidates).toBeNull();
    expect(result.samples.rounds).toBeNull();
    // The samples are contained in the loop's wall time.
    const sum = result.samples.ns.reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(result.totalNs);
    expect(sum).toBeGreaterThan(result.totalNs * 0.5);
  });

  it('reports the cycle counter, calibrated so that cycles and nanoseconds agree', async () => {
    const result = await measureKeygen('ec-p256', { iterations: 300 });
    const clock = result.clock.cycles;
    if (!clock.available) {
      expect(result.samples.cycles).toBeNull();
      expect(clock.note).not.toBe('');
      return;
    }
    expect(clock.source).toMatch(/^(rdtscp|lfence\+rdtsc|cntvct_el0)$/);
    expect(clock.frequencyHz).toBeGreaterThan(1e6);
    const cycles = result.samples.cycles!;
    expect(cycles).toHaveLength(300);
    const ratios = Array.from(cycles, (c, i) => c / result.samples.ns[i]!);
    expect(median(ratios) * 1e9).toBeGreaterThan(clock.frequencyHz! * 0.8);
    expect(median(ratios) * 1e9).toBeLessThan(clock.frequencyHz! * 1.2);
  });

  it('measures the cost of its own timer with the same stamps', async () => {
    const result = await measureKeygen('x25519', { iterations: 100 });
    expect(result.timer.samples).toBe(2_000);
    expect(result.timer.ns).toBeGreaterThan(0);
    // The stamps cost far less than the key generation they time.
    expect(result.timer.ns).toBeLessThan(median(result.samples.ns) / 10);
  });

  it('runs for a time budget when given timeMs', async () => {
    const result = await measureKeygen('ed25519', { timeMs: 150, warmup: 0 });
    expect(result.iterations).toBeGreaterThan(10);
    expect(result.totalNs).toBeGreaterThanOrEqual(150e6);
    // It starts no key once the budget is spent: every key but the last began inside it. (Wall time is not a
    // bound here: a loaded machine, or ASan, can stall the thread between keys for tens of milliseconds.)
    const ns = result.samples.ns;
    const beforeLast = ns.subarray(0, ns.length - 1).reduce((sum, v) => sum + v, 0);
    expect(beforeLast).toBeLessThan(150e6);
  });

  it('runs at least one generation even when the budget is shorter than a key', async () => {
    const result = await measureKeygen('rsa-2048', { timeMs: 0.001, warmup: 0, counters: false });
    expect(result.iterations).toBe(1);
    expect(result.counters).toEqual({});
  });

  it('runs off the JS thread', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await measureKeygen('ec-p384', { timeMs: 200, counters: false });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(10);
  });
});
