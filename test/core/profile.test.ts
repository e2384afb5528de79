import { describe, expect, it } from 'vitest';

import { profile } from '../../src/index.js';
import { median } from '../support/stats.js';

function spinFor(ns: number): void {
  const end = process.hrtime.bigint() + BigInt(ns);
  while (process.hrtime.bigint() < end);
}

describe('profile', () => {
  it('measures a sync function, one sample per call', async () => {
    const result = await profile('spin-50us', () => spinFor(50_000), { iterations: 200, warmup: 5 });
    expect(result).toMatchObject({ name: 'spin-50us', iterations: 200, async: false });
    expect(result.samples.ns).toHaveLength(200);
    expect(Math.min(...result.samples.ns)).toBeGreaterThanOrEqual(50_000);
    expect(median(result.samples.ns)).toBeLessThan(500_000);
    if (result.samples.cycles) expect(result.samples.cycles).toHaveLength(200);
    expect(result.timer.ns).toBeGreaterThan(0);
    expect(result.timer.ns).toBeLessThan(50_000);
  });

  it('measures an async function until its promise settles', async () => {
    // Node's timers count from the loop's cached time and may fire up to a millisecond early: a 5 ms timer
    // settles after 4 ms at the least, far beyond what a call that returned at once would measure.
    const result = await profile('sleep-5ms', () => new Promise((resolve) => setTimeout(resolve, 5)), { iterations: 10, warmup: 0 });
    expect(result.async).toBe(true);
    expect(result.iterations).toBe(10);
    expect(Math.min(...result.samples.ns)).toBeGreaterThanOrEqual(3_500_000);
  });

  it('honours a time budget: stops at the first call that ends after it', async () => {
    const started = performance.now();
    const result = await profile('spin-1ms', () => spinFor(1_000_000), { timeMs: 60, warmup: 0 });
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeGreaterThanOrEqual(60);
    expect(result.iterations).toBeGreaterThanOrEqual(2);
    // Every call but the last ended before the deadline.
    const allButLast = result.samples.ns.subarray(0, -1).reduce((a, b) => a + b, 0);
    expect(allButLast).toBeLessThan(60e6);
  });

  it('reports counters for the JS thread', async () => {
    const result = await profile('spin-200us', () => spinFor(200_000), { iterations: 50 });
    const taskClock = result.counters['task-clock'];
    expect(taskClock?.available).toBe(true);
    if (taskClock?.available) expect(taskClock.value).toBeGreaterThan(50 * 200_000 * 0.8);
  });

  it('lets an error from fn through, and stays usable afterwards', async () => {
    let calls = 0;
    const failing = () => {
      if (++calls === 3) throw new Error('boom');
    };
    await expect(profile('fails', failing, { iterations: 10, warmup: 0 })).rejects.toThrow('boom');
    await expect(profile('async-fails', () => Promise.reject(new Error('later')), { iterations: 2, warmup: 0 })).rejects.toThrow('later');
    const after = await profile('after', () => {}, { iterations: 5 });
    expect(after.iterations).toBe(5);
  });

  it('rejects a missing name or a non-function', async () => {
    await expect(profile('', () => {})).rejects.toMatchObject({ code: 'KS_INVALID_OPTION', message: expect.stringMatching(/name must be a non-empty string/) });
    await expect(profile('x', 42 as never)).rejects.toMatchObject({ code: 'KS_INVALID_OPTION', message: expect.stringMatching(/fn must be a function \(got 42\)/) });
  });
});
