import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { describe, expect, it } from 'vitest';

import type { RunOverview, RunRecord } from '../../src/model/types.js';
import { openStore, type RunFilter, type RunStore } from '../../src/store/index.js';
import { overviewOf } from '../support/history-fixtures.js';
import { makeRun } from '../support/store-fixtures.js';

function freshStorePath(): string {
  return join(mkdtempSync(join(tmpdir(), 'keyscope-overviews-')), 'keyscope.duckdb');
}

/**
 * Overviews as equal as floating point allows: DuckDB interpolates a median as lo + (hi - lo) / 2, JavaScript as
 * (lo + hi) / 2, which may differ in the last bit; everything else must be identical.
 */
function expectOverviewsMatch(actual: readonly RunOverview[], expected: readonly RunOverview[]): void {
  const medians = (overviews: readonly RunOverview[]) => overviews.flatMap((o) => o.cases.flatMap((c) => c.blockMedians));
  const withoutMedians = (overviews: readonly RunOverview[]) =>
    overviews.map((o) => ({ ...o, cases: o.cases.map((c) => ({ ...c, blockMedians: c.blockMedians.map((b) => ({ cpu: b.cpu, perCandidate: b.medianPerCandidate !== null })) })) }));
  expect(isDeepStrictEqual(withoutMedians(actual), withoutMedians(expected))).toBe(true); // NaN summaries too
  const got = medians(actual);
  const want = medians(expected);
  expect(got).toHaveLength(want.length);
  got.forEach((m, i) => {
    expect(m.median / want[i]!.median).toBeCloseTo(1, 12);
    if (m.medianPerCandidate !== null) expect(m.medianPerCandidate / want[i]!.medianPerCandidate!).toBeCloseTo(1, 12);
  });
}

/** Runs on two branches and two testbeds, saved out of order; index i started on day i + 1. */
function historyRuns(): RunRecord[] {
  const spec: [branch: string | null, testbed: string | undefined, label: string | null][] = [
    ['main', undefined, 'baseline'],
    ['main', 'lab', 'nightly'],
    ['feature', undefined, 'nightly'],
    ['main', undefined, null],
    ['feature', 'lab', 'nightly'],
    [null, undefined, 'baseline'],
  ];
  return spec.map(([branch, testbed, label], i) => {
    const run = makeRun({ seed: 60 + i, samples: 30 + i, startedAt: `2025-02-0${i + 1}T08:00:00.000Z`, label, testbed, status: i === 3 ? 'aborted' : 'complete' });
    run.git = branch === null ? null : { ...run.git!, branch };
    return run;
  });
}

async function storeWith(runs: readonly RunRecord[]): Promise<{ store: RunStore; path: string }> {
  const path = freshStorePath();
  const store = await openStore(path);
  for (const i of [3, 0, 5, 1, 4, 2]) await store.saveRun(runs[i]!);
  return { store, path };
}

describe('run overviews', () => {
  it('gives each run its own fields and its cases with the summaries getRun gives, and null for a case that did not complete', async () => {
    const runs = historyRuns();
    const { store } = await storeWith(runs);
    const overviews = await store.findRunOverviews();
    const loaded = await Promise.all(overviews.map((o) => store.getRun(o.id)));
    await store.close();

    expect(overviews.map((o) => o.id)).toEqual([...runs].reverse().map((r) => r.id));
    expectOverviewsMatch(overviews, loaded.map((run) => overviewOf(run!)));
    const [first] = overviews;
    expect(first!.cases.map((c) => [c.state, c.summary === null])).toEqual([
      ['completed', false],
      ['completed', false],
      ['completed', false],
      ['completed', false],
      ['errored', true],
      ['skipped', true],
    ]);
    expect(first!.cases[1]!.summary!.nsPerCandidate).not.toBeNull();
    expect(first!.cases[2]!.summary!.cycles).toBeNull();
    // Nothing of the samples, counters or histograms comes along.
    expect(Object.keys(first!.cases[0]!).sort()).toEqual(['blockMedians', 'key', 'parameters', 'state', 'summary']);
    expect(first!.git).toBeNull();
    expect(overviews[1]!.testbed).toBe('lab');
  });

  it('selects and orders runs exactly as findRuns does: branch, testbed, label, status, id prefix and limit', async () => {
    const runs = historyRuns();
    const { store } = await storeWith(runs);
    const filters: RunFilter[] = [
      {},
      { branch: 'main' },
      { branch: 'feature' },
      { testbed: 'lab' },
      { testbed: runs[0]!.testbed },
      { testbed: runs[0]!.testbed, branch: 'main' },
      { branch: 'main', limit: 2 },
      { testbed: 'lab', limit: 1 },
      { label: 'nightly', status: 'complete' },
      { label: null },
      { status: 'aborted' },
      { idPrefix: runs[2]!.id.slice(0, 8) },
      { limit: 3 },
      { testbed: 'elsewhere' },
      { startedBefore: runs[3]!.startedAt },
      { branch: 'main', startedBefore: runs[3]!.startedAt, limit: 1 },
    ];
    for (const filter of filters) {
      const listed = (await store.findRuns(filter)).map((r) => r.id);
      const overviews = await store.findRunOverviews(filter);
      expect(overviews.map((o) => o.id), JSON.stringify(filter)).toEqual(listed);
    }
    const ids = async (filter: RunFilter) => (await store.findRunOverviews(filter)).map((o) => o.id);
    expect(await ids({ branch: 'main' })).toEqual([runs[3]!.id, runs[1]!.id, runs[0]!.id]);
    expect(await ids({ testbed: 'lab' })).toEqual([runs[4]!.id, runs[1]!.id]);
    expect(await ids({ testbed: runs[0]!.testbed, branch: 'main' })).toEqual([runs[3]!.id, runs[0]!.id]);
    expect(await ids({ branch: 'main', limit: 2 })).toEqual([runs[3]!.id, runs[1]!.id]);
    expect(await ids({ testbed: 'elsewhere' })).toEqual([]);
    // Strictly before: the run that started at that moment is not among them.
    expect(await ids({ branch: 'main', startedBefore: runs[3]!.startedAt })).toEqual([runs[1]!.id, runs[0]!.id]);
    await expect(store.findRunOverviews({ startedBefore: 'yesterday' })).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
    for (const overview of await store.findRunOverviews({ testbed: 'lab' })) expect(overview.testbed).toBe('lab');

    const refused = await store.findRunOverviews({ limit: 0 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'KS_INVALID_OPTION' });
    expect((refused as Error).message).toMatch(/^findRunOverviews: option "limit" /);
    await expect(store.findRunOverviews({ testbed: 'two words' })).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
    await store.close();
  });

  it('gives nothing for an empty store, and a run without completed cases with every summary null', async () => {
    const store = await openStore(freshStorePath());
    expect(await store.findRunOverviews()).toEqual([]);
    const full = makeRun({ samples: 20 });
    const run: RunRecord = { ...full, cases: full.cases.filter((c) => c.state !== 'completed') };
    const empty: RunRecord = { ...makeRun({ samples: 20, startedAt: '2025-01-01T00:00:00.000Z' }), cases: [] };
    await store.saveRun(run);
    await store.saveRun(empty);
    const overviews = await store.findRunOverviews();
    await store.close();
    expect(overviews).toEqual([overviewOf(run), overviewOf(empty)]);
    expect(overviews[0]!.cases.map((c) => [c.summary, c.blockMedians])).toEqual([
      [null, []],
      [null, []],
    ]);
  });

  it("gives each block's median (and RSA's median per prime candidate) with its CPU, as the samples say", async () => {
    const store = await openStore(freshStorePath());
    const run = makeRun({ seed: 72, samples: 61, blockCpus: [1, 0, null] });
    await store.saveRun(run);
    const [overview] = await store.findRunOverviews();
    await store.close();

    const completed = run.cases.filter((c) => c.state === 'completed');
    const main = overview!.cases[0]!;
    expect(main.blockMedians.map((b) => b.cpu)).toEqual([1, 0, null]);
    // Spelled out for the first case: the blocks are consecutive stretches of its samples.
    const ns = completed[0]!.samples.ns;
    const stretches = completed[0]!.blocks.map((b, i, all) => {
      const start = all.slice(0, i).reduce((sum, x) => sum + x.samples, 0);
      return [...ns.subarray(start, start + b.samples)].sort((x, y) => x - y);
    });
    expect(stretches.map((s) => s.length)).toEqual(completed[0]!.blocks.map((b) => b.samples));
    main.blockMedians.forEach((b, i) => {
      const sorted = stretches[i]!;
      const middle = (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
      expect(b.median / middle).toBeCloseTo(1, 12);
      expect(b.medianPerCandidate).toBeNull();
    });
    const rsa = overview!.cases.find((c) => c.summary?.nsPerCandidate);
    expect(rsa!.blockMedians.every((b) => b.medianPerCandidate !== null && b.medianPerCandidate < b.median)).toBe(true);
    expectOverviewsMatch([overview!], [overviewOf(run)]);
  });
});
