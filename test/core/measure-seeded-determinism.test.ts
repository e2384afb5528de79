import { describe, expect, it } from 'vitest';

import { measureKeygen, type MeasureKeygenOptions } from '../../src/index.js';

/** The prime search of each key: what a seed must reproduce exactly. */
async function search(options: MeasureKeygenOptions): Promise<{ candidates: number[]; rounds: number[] }> {
  const result = await measureKeygen('rsa-2048', { counters: false, ...options });
  return { candidates: Array.from(result.samples.candidates!), rounds: Array.from(result.samples.rounds!) };
}

describe('seeded measureKeygen', () => {
  it('searches the same prime candidates for the same seed, run after run', async () => {
    const first = await search({ iterations: 4, seed: 7 });
    const second = await search({ iterations: 4, seed: 7 });
    expect(second).toEqual(first);
    // The keys of one stream are not copies of each other.
    expect(new Set(first.candidates).size).toBeGreaterThan(1);
  });

  it('searches different candidates for a different seed', async () => {
    const seven = await search({ iterations: 4, seed: 7 });
    const eight = await search({ iterations: 4, seed: 8 });
    expect(eight.candidates).not.toEqual(seven.candidates);
  });

  it('makes key firstKey + j the j-th measured key, whatever came before it', async () => {
    const fromZero = await search({ iterations: 5, seed: 7, firstKey: 0 });
    const fromThree = await search({ iterations: 2, seed: 7, firstKey: 3 });
    expect(fromThree.candidates).toEqual(fromZero.candidates.slice(3, 5));
    expect(fromThree.rounds).toEqual(fromZero.rounds.slice(3, 5));
  });

  it('does not shift the measured stream with the warm-up count', async () => {
    const noWarmup = await search({ iterations: 3, seed: 11, warmup: 0 });
    const longWarmup = await search({ iterations: 3, seed: 11, warmup: 5 });
    expect(longWarmup).toEqual(noWarmup);
  });

  it('gives the same keys on concurrent worker threads', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => search({ iterations: 2, seed: 5, firstKey: 10 })));
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('reports the stream it used, and null when unseeded', async () => {
    expect((await measureKeygen('ed25519', { iterations: 2, seed: 3, firstKey: 9 })).seeding).toEqual({ seed: 3, firstKey: 9 });
    expect((await measureKeygen('ed25519', { iterations: 2, seed: 3 })).seeding).toEqual({ seed: 3, firstKey: 0 });
    expect((await measureKeygen('ed25519', { iterations: 2 })).seeding).toBeNull();
  });

  it('leaves unseeded measurements to luck', async () => {
    const a = await search({ iterations: 4 });
    const b = await search({ iterations: 4 });
    expect(b.candidates).not.toEqual(a.candidates);
  });
});
