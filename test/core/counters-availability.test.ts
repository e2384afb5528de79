import { existsSync, readdirSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { type CounterName, measureKeygen } from '../../src/index.js';

// Independent ground truth for hardware events: the kernel lists a PMU under event_source only where the
// CPU (or hypervisor) exposes one. These VMs list none, so hardware counters take the unavailable path here.
const eventSources = existsSync('/sys/bus/event_source/devices') ? readdirSync('/sys/bus/event_source/devices') : [];
const hasHardwarePmu = eventSources.some((name) => /^(cpu|cpu_core|cpu_atom|armv\d.*|arm_.*pmu.*)$/.test(name));
const hardware: CounterName[] = ['cycles', 'instructions', 'branch-misses', 'cache-misses'];

describe('counters around a measurement', async () => {
  const result = await measureKeygen('ec-p256', { iterations: 200 });
  const counters = result.counters;

  it('reports every counter as a value or as unavailable with a reason, never a silent zero', () => {
    expect(Object.keys(counters).length).toBeGreaterThanOrEqual(19);
    for (const [name, counter] of Object.entries(counters)) {
      if (counter.available) {
        expect(Number.isFinite(counter.value), name).toBe(true);
        expect(counter.value, name).toBeGreaterThanOrEqual(0);
      } else {
        expect(counter.reason.length, name).toBeGreaterThan(10);
        expect(counter, name).not.toHaveProperty('value');
      }
    }
  });

  it.runIf(!hasHardwarePmu)('takes the unavailable path for hardware events where no PMU is exposed', () => {
    for (const name of hardware) {
      const counter = counters[name]!;
      expect(counter.available, name).toBe(false);
      if (!counter.available) expect(counter.reason).toMatch(/does not expose this event|ENOENT|EOPNOTSUPP|group leader 'cycles' unavailable/);
    }
    // ...and the measurement itself went on.
    expect(result.samples.ns).toHaveLength(200);
  });

  it.runIf(hasHardwarePmu)('counts hardware events where a PMU is exposed (or says the kernel refused)', () => {
    for (const name of hardware) {
      const counter = counters[name]!;
      if (counter.available) expect(counter.value).toBeGreaterThan(0);
      else expect(counter.reason).toMatch(/not permitted|multiplexed/);
    }
  });

  it('counts software events and thread rusage for the measuring thread, and they agree', () => {
    const taskClock = counters['task-clock']!;
    const userTime = counters['user-time']!;
    expect(taskClock.available).toBe(true);
    expect(userTime.available).toBe(true);
    if (!taskClock.available || !userTime.available) return;
    // Two independent kernel sources for the same thread's CPU time must agree: perf's task-clock and
    // getrusage(RUSAGE_THREAD) user + system time (which has tick granularity, hence the slack).
    const systemTime = counters['system-time']!;
    const rusageNs = userTime.value + (systemTime.available ? systemTime.value : 0);
    expect(taskClock.value).toBeGreaterThan(0);
    expect(Math.abs(taskClock.value - rusageNs)).toBeLessThan(0.2 * taskClock.value + 8e6);
    // On-CPU time cannot exceed the loop's wall time.
    expect(taskClock.value).toBeLessThan(result.totalNs * 1.05);
    expect(taskClock.unit).toBe('ns');
  });

  it('reports memory around the loop', () => {
    for (const name of ['rss-before', 'rss-after', 'heap-before', 'heap-after'] as const) {
      const counter = counters[name]!;
      expect(counter.available, name).toBe(true);
      if (counter.available) expect(counter.value).toBeGreaterThan(1024 * 1024 * (name.startsWith('rss') ? 10 : 0.01));
    }
    const peak = counters['peak-rss']!;
    if (peak.available && counters['rss-after']!.available) expect(peak.value).toBeGreaterThanOrEqual(counters['rss-after']!.value * 0.99);
  });
});

it('turns counters off entirely with counters: false', async () => {
  const result = await measureKeygen('ed25519', { iterations: 10, counters: false });
  expect(result.counters).toEqual({});
});
