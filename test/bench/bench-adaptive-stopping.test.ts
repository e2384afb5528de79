import { describe, expect, it } from 'vitest';

import { sampleAdaptively } from '../../src/bench/adaptive.js';
import { resolveCaseBudget } from '../../src/bench/case-budget.js';

/** A seeded generator so that the synthetic cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** A synthetic case: takes about `costMs` per batch and yields samples from `draw`. */
function synthetic(draw: () => number, costMs = 5) {
  return async (count: number) => {
    await new Promise((resolve) => setTimeout(resolve, costMs));
    return { ns: Float64Array.from({ length: count }, draw) };
  };
}

describe('adaptive sampling', () => {
  const budget = { ...resolveCaseBudget('ec-p256', [], false), maxTimeMs: 1500, minSamples: 30 };

  it('stops early on a stable case, once the median is known to +-1%', async () => {
    const next = random(1);
    const outcome = await sampleAdaptively(synthetic(() => 10_000 * (1 + 0.02 * normal(next))), budget);
    expect(outcome.stoppedBy).toBe('precision');
    expect(outcome.precision).toBeLessThanOrEqual(0.01);
    // Early is what stoppedBy says (before the 1.5 s budget); no wall-time bound: a loaded machine stretches it.
  });

  it('runs to its time budget on a noisy case and reports the precision it reached', async () => {
    const next = random(2);
    // Heavy-tailed like RSA, and so few samples per batch that +-1% is out of reach.
    const outcome = await sampleAdaptively(
      async (count) => {
        await new Promise((resolve) => setTimeout(resolve, 40));
        return { ns: Float64Array.from({ length: Math.min(count, 3) }, () => 1e8 * Math.exp(1.2 * normal(next))) };
      },
      budget,
    );
    expect(outcome.stoppedBy).toBe('budget');
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(budget.maxTimeMs);
    expect(outcome.precision).toBeGreaterThan(0.01);
    expect(Number.isFinite(outcome.precision)).toBe(true);
  });

  it('stops at the sample cap', async () => {
    const next = random(3);
    const capped = { ...budget, precision: 0.000001, maxSamples: 500 };
    const outcome = await sampleAdaptively(synthetic(() => 1000 + 500 * next(), 1), capped);
    expect(outcome.stoppedBy).toBe('iterations');
    expect(outcome.ns).toHaveLength(500);
  });

  it('stops between batches when aborted', async () => {
    const controller = new AbortController();
    const next = random(4);
    const promise = sampleAdaptively(synthetic(() => 1e6 * Math.exp(normal(next)), 20), { ...budget, maxTimeMs: 60_000 }, undefined, controller.signal);
    setTimeout(() => controller.abort(new Error('interrupted')), 100);
    await expect(promise).rejects.toThrow('interrupted');
  });

  it('gives RSA a longer budget and fewer minimum samples, and caps --quick runs', () => {
    expect(resolveCaseBudget('rsa-2048', [], false)).toMatchObject({ maxTimeMs: 6000, minSamples: 10 });
    expect(resolveCaseBudget('ec-p256', [{ maxTimeMs: 5000 }], false).maxTimeMs).toBe(5000);
    expect(resolveCaseBudget('ec-p256', [{ maxTimeMs: 5000 }], true).maxTimeMs).toBe(400);
  });
});
