import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { describe, expect, it } from 'vitest';

import type { CaseBlock, CompletedCase, RunRecord } from '../../src/model/types.js';
import { derivedTestbed } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { makeRun, queryStoreFile, sampleRowsOf } from '../support/store-fixtures.js';

function freshStorePath(): string {
  return join(mkdtempSync(join(tmpdir(), 'keyscope-store-')), 'keyscope.duckdb');
}

function completedCases(run: RunRecord): CompletedCase[] {
  return run.cases.filter((c): c is CompletedCase => c.state === 'completed');
}

/** Bit-for-bit: toEqual treats every NaN alike and would accept a different NaN payload or a lost -0 sign. */
function sameBits(a: Float64Array | null, b: Float64Array | null): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('run store round trip', () => {
  it('loads a saved run back identical: every case, summary, counter and sample', async () => {
    const store = await openStore(freshStorePath());
    const run = makeRun();
    await store.saveRun(run);
    const loaded = await store.getRun(run.id);
    await store.close();

    expect(loaded).toEqual(run);
    expect(isDeepStrictEqual(loaded, run)).toBe(true); // also checks key order, -0 and types strictly
    const [native, rsa, nodeCrypto] = completedCases(loaded!);
    expect(native!.samples.ns).toBeInstanceOf(Float64Array);
    expect(native!.samples.cycles).toBeInstanceOf(Float64Array);
    expect(rsa!.samples.candidates).toBeInstanceOf(Float64Array);
    expect(rsa!.summary.nsPerCandidate).not.toBeNull();
    expect(nodeCrypto!.samples.cycles).toBeNull();
    expect(nodeCrypto!.histograms.cycles).toBeNull();
    completedCases(run).forEach((saved, i) => {
      const got = completedCases(loaded!)[i]!;
      expect(sameBits(got.samples.ns, saved.samples.ns)).toBe(true);
      expect(sameBits(got.samples.cycles, saved.samples.cycles)).toBe(true);
      expect(sameBits(got.samples.candidates, saved.samples.candidates)).toBe(true);
    });
    expect(loaded!.cases.map((c) => c.state)).toEqual(['completed', 'completed', 'completed', 'completed', 'errored', 'skipped']);
  });

  it('keeps runs across close and reopen', async () => {
    const path = freshStorePath();
    const run = makeRun({ seed: 3 });
    const first = await openStore(path);
    await first.saveRun(run);
    await first.close();
    const second = await openStore(path);
    expect(isDeepStrictEqual(await second.getRun(run.id), run)).toBe(true);
    await second.close();
  });

  it('round-trips aborted runs and numbers JSON cannot hold: NaN, infinities, -0, subnormals', async () => {
    const store = await openStore(freshStorePath());
    const run = makeRun({ status: 'aborted', label: null, seed: 5 });
    run.git = null;
    run.environment = { ...run.environment, pinnedCpu: null, governor: null, boost: null, cycleCounter: null };
    const odd = Float64Array.of(-0, 0, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, -1.5, 0.1 + 0.2);
    const first = run.cases[0] as CompletedCase;
    first.samples = { ns: odd, cycles: Float64Array.from(odd).reverse(), candidates: null };
    first.blocks = [{ samples: 9, cpu: null }];
    first.parameters = { offset: -0, ratio: NaN, big: 2 ** 53 + 2, name: 'NaN', on: false };
    first.throughput = Infinity;
    first.summary.ns = { ...first.summary.ns, stddev: NaN, medianInterval: { confidence: 0.99, low: -Infinity, high: Infinity } };
    await store.saveRun(run);
    const loaded = await store.getRun(run.id);
    await store.close();

    expect(isDeepStrictEqual(loaded, run)).toBe(true);
    expect(loaded!.status).toBe('aborted');
    const loadedFirst = loaded!.cases[0] as CompletedCase;
    expect(sameBits(loadedFirst.samples.ns, odd)).toBe(true);
    expect(Object.is(loadedFirst.parameters.offset, -0)).toBe(true);
    expect(loadedFirst.parameters.name).toBe('NaN');
  });

  it('round-trips each case\'s blocks (on different CPUs and on none) and the run\'s handicap', async () => {
    const path = freshStorePath();
    const store = await openStore(path);
    const run = makeRun({ seed: 13, samples: 301, blockCpus: [0, 1, null, 1], handicap: 0.02 });
    const [native, rsa, nodeCrypto, single] = completedCases(run);
    // Sanity of the fixture: blocks really are several, uneven, on two CPUs and none, and a one-sample case has one.
    expect(native!.blocks).toEqual([{ samples: 76, cpu: 0 }, { samples: 75, cpu: 1 }, { samples: 75, cpu: null }, { samples: 75, cpu: 1 }]);
    expect(rsa!.blocks.map((b) => b.samples)).toEqual([4, 4, 4, 3]);
    expect(nodeCrypto!.blocks.length).toBe(4);
    expect(single!.blocks).toEqual([{ samples: 1, cpu: 0 }]);
    await store.saveRun(run);
    const loaded = await store.getRun(run.id);
    const withoutCycles = await store.getRun(run.id, { cycles: false });
    await store.close();

    expect(isDeepStrictEqual(loaded, run)).toBe(true);
    expect(loaded!.environment.handicap).toBe(0.02);
    expect(completedCases(withoutCycles!).map((c) => c.blocks)).toEqual(completedCases(run).map((c) => c.blocks));
    // Stored as written, one list entry a block (NULL for an unpinned block); cases that are not completed have none.
    const rows = await queryStoreFile(path, 'SELECT ordinal, state, block_samples, block_cpus FROM cases ORDER BY ordinal');
    expect(rows[0]).toEqual({ ordinal: 0, state: 'completed', block_samples: [76, 75, 75, 75], block_cpus: [0, 1, null, 1] });
    expect(rows[3]).toEqual({ ordinal: 3, state: 'completed', block_samples: [1], block_cpus: [0] });
    expect(rows.filter((row) => row.state !== 'completed').map((row) => [row.block_samples, row.block_cpus])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(await queryStoreFile(path, 'SELECT handicap FROM runs')).toEqual([{ handicap: 0.02 }]);
  });

  it('stores an honest run\'s handicap as NULL and a run\'s single block explicitly', async () => {
    const path = freshStorePath();
    const store = await openStore(path);
    const run = makeRun({ seed: 14, samples: 40 });
    await store.saveRun(run);
    expect(isDeepStrictEqual(await store.getRun(run.id), run)).toBe(true);
    await store.close();
    expect(await queryStoreFile(path, 'SELECT handicap FROM runs')).toEqual([{ handicap: null }]);
    // NULL blocks are for cases stored before blocks existed; a case of one block today says so.
    const [first] = await queryStoreFile(path, 'SELECT block_samples, block_cpus FROM cases WHERE ordinal = 0');
    expect(first).toEqual({ block_samples: [40], block_cpus: [1] });
  });

  it('refuses blocks that do not partition the samples, and a handicap that is not a fraction, before writing anything', async () => {
    const store = await openStore(freshStorePath());
    const refusal = async (change: (run: RunRecord, first: CompletedCase) => void): Promise<string> => {
      const run = makeRun({ samples: 40 });
      change(run, run.cases[0] as CompletedCase);
      const error = await store.saveRun(run).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'KS_INVALID_OPTION' });
      return (error as Error).message;
    };
    expect(await refusal((_, c) => (c.blocks = [{ samples: 30, cpu: 0 }, { samples: 11, cpu: 1 }]))).toBe(
      "saveRun: run.cases.0.blocks: must add up to the case's 40 ns samples (they add up to 41)",
    );
    expect(await refusal((_, c) => (c.blocks = []))).toBe('saveRun: run.cases.0.blocks: must hold at least one block');
    expect(await refusal((_, c) => (c.blocks = [{ samples: 40, cpu: 0 }, { samples: 0, cpu: 1 }]))).toMatch(/^saveRun: run\.cases\.0\.blocks\.1\.samples: /);
    expect(await refusal((_, c) => (c.blocks = [{ samples: 39.5, cpu: 0 }, { samples: 0.5, cpu: 1 }]))).toMatch(/^saveRun: run\.cases\.0\.blocks\.0\.samples: /);
    expect(await refusal((_, c) => (c.blocks = [{ samples: 40, cpu: -1 }]))).toMatch(/^saveRun: run\.cases\.0\.blocks\.0\.cpu: /);
    expect(await refusal((_, c) => (c.blocks = [{ samples: 40, cpu: 0, core: 2 } as CaseBlock]))).toMatch(/^saveRun: run\.cases\.0\.blocks\.0: /);
    expect(await refusal((_, c) => delete (c as Partial<CompletedCase>).blocks)).toMatch(/^saveRun: run\.cases\.0\.blocks: /);
    expect(await refusal((run) => (run.environment = { ...run.environment, handicap: -0.02 }))).toBe(
      'saveRun: run.environment.handicap: must be a finite fraction of 0 or more',
    );
    expect(await refusal((run) => (run.environment = { ...run.environment, handicap: NaN }))).toBe(
      'saveRun: run.environment.handicap: must be a finite fraction of 0 or more',
    );
    expect(await store.listRuns()).toEqual([]);
    await store.close();
  });

  it('refuses to load a case whose stored blocks are damaged, naming it', async () => {
    const path = freshStorePath();
    let store = await openStore(path);
    const run = makeRun({ seed: 15, samples: 40, blockCpus: [0, 1] });
    await store.saveRun(run);
    await store.close();
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const damage = async (sql: string) => {
      const instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      await connection.run(sql);
      connection.closeSync();
      instance.closeSync();
    };

    await damage('UPDATE cases SET block_samples = [20, 19] WHERE ordinal = 0');
    store = await openStore(path);
    await expect(store.getRun(run.id)).rejects.toMatchObject({
      code: 'KS_STORE_CORRUPT',
      message: `keyscope store ${path} is corrupt (run ${run.id} does not load as a valid run: run.cases.0.blocks: must add up to the case's 40 ns samples (they add up to 39))`,
    });
    await store.close();

    await damage('UPDATE cases SET block_samples = [20, 20], block_cpus = [0] WHERE ordinal = 0');
    store = await openStore(path);
    await expect(store.getRun(run.id)).rejects.toMatchObject({
      code: 'KS_STORE_CORRUPT',
      message: `keyscope store ${path} is corrupt (case 0 of run ${run.id} has 2 block sample counts but 1 block CPUs)`,
    });
    await store.close();
  });

  it('round-trips a named testbed and a derived one, stored as given', async () => {
    const path = freshStorePath();
    const store = await openStore(path);
    const named = makeRun({ seed: 16, samples: 40, testbed: 'ci-linux_x64.2', startedAt: '2025-01-02T00:00:00.000Z' });
    const derived = makeRun({ seed: 17, samples: 40, handicap: 0.05, startedAt: '2025-01-01T00:00:00.000Z' });
    expect(derived.testbed).toBe(derivedTestbed(derived.environment));
    await store.saveRun(named);
    await store.saveRun(derived);
    expect(isDeepStrictEqual(await store.getRun(named.id), named)).toBe(true);
    expect(isDeepStrictEqual(await store.getRun(derived.id), derived)).toBe(true);
    expect((await store.listRuns()).map((r) => r.testbed)).toEqual(['ci-linux_x64.2', derived.testbed]);
    await store.close();
    expect(await queryStoreFile(path, 'SELECT testbed FROM runs ORDER BY run_key')).toEqual([{ testbed: 'ci-linux_x64.2' }, { testbed: derived.testbed }]);
  });

  it('refuses a testbed that is not a name before writing anything', async () => {
    const store = await openStore(freshStorePath());
    const refusal = async (testbed: unknown): Promise<string> => {
      const run = makeRun({ samples: 40 });
      if (testbed === undefined) delete (run as Partial<RunRecord>).testbed;
      else (run as { testbed: unknown }).testbed = testbed;
      const error = await store.saveRun(run).catch((e: unknown) => e);
      expect(error, String(testbed)).toMatchObject({ code: 'KS_INVALID_OPTION' });
      return (error as Error).message;
    };
    const rule = 'saveRun: run.testbed: must be a testbed name: a letter or digit, then up to 63 letters, digits, ".", "_" or "-"';
    for (const bad of ['', 'two words', '-leading', '.hidden', 'a/b', 'x'.repeat(65)]) expect(await refusal(bad), bad).toBe(rule);
    expect(await refusal(undefined)).toMatch(/^saveRun: run\.testbed: /);
    expect(await refusal(7)).toMatch(/^saveRun: run\.testbed: /);
    // The longest name there is: 64 characters.
    const longest = makeRun({ samples: 40, testbed: `a${'-'.repeat(63)}` });
    await store.saveRun(longest);
    expect((await store.listRuns()).map((r) => r.id)).toEqual([longest.id]);
    await store.close();
  });

  it('lists runs newest first, with their case and sample counts', async () => {
    const store = await openStore(freshStorePath());
    const older = makeRun({ startedAt: '2025-01-01T10:00:00.000Z', label: 'old', samples: 100 });
    const newer = makeRun({ startedAt: '2025-02-01T10:00:00.000Z', label: 'new', samples: 200, status: 'aborted' });
    await store.saveRun(newer);
    await store.saveRun(older);
    const listing = await store.listRuns();
    await store.close();

    expect(listing.map((r) => r.id)).toEqual([newer.id, older.id]);
    expect(listing[0]).toEqual({
      id: newer.id,
      startedAt: newer.startedAt,
      endedAt: newer.endedAt,
      label: 'new',
      status: 'aborted',
      commit: newer.git!.commit,
      branch: 'main',
      testbed: newer.testbed,
      cases: 6,
      samples: completedCases(newer).reduce((sum, c) => sum + c.samples.ns.length, 0),
    });
  });

  it('finds runs by label, status and limit', async () => {
    const store = await openStore(freshStorePath());
    const runs = [
      makeRun({ startedAt: '2025-01-01T00:00:00.000Z', label: 'nightly', samples: 20 }),
      makeRun({ startedAt: '2025-01-02T00:00:00.000Z', label: 'nightly', samples: 20, status: 'aborted' }),
      makeRun({ startedAt: '2025-01-03T00:00:00.000Z', label: 'nightly', samples: 20 }),
      makeRun({ startedAt: '2025-01-04T00:00:00.000Z', label: null, samples: 20 }),
    ];
    for (const run of runs) await store.saveRun(run);
    const ids = async (filter: Parameters<typeof store.findRuns>[0]) => (await store.findRuns(filter)).map((r) => r.id);

    expect(await ids({ label: 'nightly' })).toEqual([runs[2]!.id, runs[1]!.id, runs[0]!.id]);
    expect(await ids({ label: 'nightly', status: 'complete' })).toEqual([runs[2]!.id, runs[0]!.id]);
    expect(await ids({ status: 'aborted' })).toEqual([runs[1]!.id]);
    expect(await ids({ label: null })).toEqual([runs[3]!.id]);
    expect(await ids({ limit: 2 })).toEqual([runs[3]!.id, runs[2]!.id]);
    expect(await ids({ label: 'weekly' })).toEqual([]);
    await expect(store.findRuns({ limit: 0 })).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
    await store.close();
  });

  it('finds runs by testbed, exactly, with the other filters and the limit', async () => {
    const store = await openStore(freshStorePath());
    const runs = [
      makeRun({ startedAt: '2025-01-01T00:00:00.000Z', testbed: 'lab', samples: 20 }),
      makeRun({ startedAt: '2025-01-02T00:00:00.000Z', samples: 20 }),
      makeRun({ startedAt: '2025-01-03T00:00:00.000Z', testbed: 'lab', label: 'nightly', samples: 20 }),
      makeRun({ startedAt: '2025-01-04T00:00:00.000Z', testbed: 'lab-2', samples: 20 }),
    ];
    for (const run of runs) await store.saveRun(run);
    const ids = async (filter: Parameters<typeof store.findRuns>[0]) => (await store.findRuns(filter)).map((r) => r.id);

    expect(await ids({ testbed: 'lab' })).toEqual([runs[2]!.id, runs[0]!.id]);
    expect(await ids({ testbed: 'lab', limit: 1 })).toEqual([runs[2]!.id]);
    expect(await ids({ testbed: 'lab', label: 'baseline' })).toEqual([runs[0]!.id]);
    expect(await ids({ testbed: runs[1]!.testbed })).toEqual([runs[1]!.id]);
    expect(await ids({ testbed: 'LAB' })).toEqual([]); // exact: no case folding, no prefixes
    expect(await ids({ testbed: 'la' })).toEqual([]);
    expect((await store.findRuns({ testbed: 'lab-2' }))[0]!.testbed).toBe('lab-2');
    const refused = await store.findRuns({ testbed: 'two words' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'KS_INVALID_OPTION' });
    expect((refused as Error).message).toMatch(/^findRuns: option "testbed" must be a testbed name /);
    await store.close();
  });

  it('deletes a run with its cases and samples, leaving the others', async () => {
    const path = freshStorePath();
    let store = await openStore(path);
    const doomed = makeRun({ seed: 11 });
    const kept = makeRun({ seed: 12, samples: 300 });
    await store.saveRun(doomed);
    await store.saveRun(kept);

    expect(await store.deleteRun(doomed.id)).toBe(true);
    expect(await store.deleteRun(doomed.id)).toBe(false);
    expect(await store.getRun(doomed.id)).toBeUndefined();
    expect((await store.listRuns()).map((r) => r.id)).toEqual([kept.id]);
    expect(isDeepStrictEqual(await store.getRun(kept.id), kept)).toBe(true);
    await store.close();
    // Gone from the tables, not just unreachable: only the kept run's rows remain.
    const [rows] = await queryStoreFile(
      path,
      `SELECT (SELECT count(*) FROM samples)::INTEGER AS samples, (SELECT count(*) FROM cases)::INTEGER AS cases,
              (SELECT count(DISTINCT run_key) FROM summaries)::INTEGER AS summarized_runs,
              (SELECT count(DISTINCT run_key) FROM counters)::INTEGER AS counted_runs,
              (SELECT count(DISTINCT run_key) FROM case_parameters)::INTEGER AS parameterized_runs`,
    );
    expect(rows).toEqual({ samples: sampleRowsOf(kept), cases: kept.cases.length, summarized_runs: 1, counted_runs: 1, parameterized_runs: 1 });

    // The id is free again: the same run saves and loads as new.
    store = await openStore(path);
    await store.saveRun(doomed);
    expect(isDeepStrictEqual(await store.getRun(doomed.id), doomed)).toBe(true);
    await store.close();
  });

  it('refuses a second run with the same id and keeps the first', async () => {
    const store = await openStore(freshStorePath());
    const run = makeRun();
    await store.saveRun(run);
    const impostor = makeRun({ id: run.id, label: 'impostor', seed: 99 });
    await expect(store.saveRun(impostor)).rejects.toMatchObject({ code: 'KS_RUN_EXISTS' });
    expect(isDeepStrictEqual(await store.getRun(run.id), run)).toBe(true);
    expect(await store.listRuns()).toHaveLength(1);
    await store.close();
  });

  it('refuses a malformed run before writing anything, naming the bad field', async () => {
    const store = await openStore(freshStorePath());
    const run = makeRun();
    (run.cases[1] as unknown as { samples: { ns: number[] } }).samples.ns = [1, 2, 3];
    const error = await store.saveRun(run).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KS_INVALID_OPTION' });
    expect((error as Error).message).toBe('saveRun: run.cases.1.samples.ns: must be a Float64Array');
    expect(await store.listRuns()).toEqual([]);
    await store.close();
  });

  it('refuses operations once closed, after finishing those already asked for', async () => {
    const store = await openStore(freshStorePath());
    const run = makeRun();
    const saving = store.saveRun(run);
    const closing = store.close();
    await saving;
    await closing;
    await expect(store.getRun(run.id)).rejects.toMatchObject({ code: 'KS_STORE_CLOSED' });
    await store.close(); // closing twice is harmless
  });
});
