import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { describe, expect, it } from 'vitest';

import { currentSchemaVersion, openStore } from '../../src/store/index.js';
import { createStoreAtVersion } from '../../src/store/migrations.js';
import { migrations } from '../../src/store/schema.js';
import type { CompletedCase, RunRecord } from '../../src/model/types.js';
import { derivedTestbed } from '../../src/model/index.js';
import { asSchemaV1Run, asSchemaV3Run, asSchemaV4Run, makeRun, queryStoreFile, writeRunAtSchema } from '../support/store-fixtures.js';

function freshStorePath(): string {
  return join(mkdtempSync(join(tmpdir(), 'keyscope-migrate-')), 'keyscope.duckdb');
}

async function schemaVersionOf(path: string): Promise<unknown> {
  return (await queryStoreFile(path, 'SELECT schema_version FROM keyscope_meta'))[0]?.schema_version;
}

async function columnsOf(path: string, table: string): Promise<string[]> {
  const rows = await queryStoreFile(path, `SELECT column_name FROM duckdb_columns() WHERE table_name = '${table}' ORDER BY column_index`);
  return rows.map((row) => String(row.column_name));
}

describe('run store schema migration', () => {
  it('keeps the migration steps numbered 1, 2, 3, ... with the current version last', () => {
    expect(migrations.map((m) => m.version)).toEqual(Array.from({ length: migrations.length }, (_, i) => i + 1));
    expect(currentSchemaVersion).toBe(migrations.length);
    expect(currentSchemaVersion).toBeGreaterThanOrEqual(2);
  });

  it('opens a store written at schema version 1: the run reads back and the store is now current', async () => {
    const path = freshStorePath();
    await createStoreAtVersion(path, 1);
    expect(await schemaVersionOf(path)).toBe(1);
    expect(await columnsOf(path, 'samples')).toEqual(['run_key', 'case_ordinal', 'seq', 'ns', 'cycles']);
    const oldRun = asSchemaV1Run(makeRun({ seed: 31 }));
    await writeRunAtSchema(path, oldRun, 1);

    const store = await openStore(path);
    expect(store.schemaVersion).toBe(currentSchemaVersion);
    const loadedOld = await store.getRun(oldRun.id);
    expect(loadedOld).toEqual(oldRun);
    expect(isDeepStrictEqual(loadedOld, oldRun)).toBe(true);
    // What the new columns are for works on the migrated store: a run with prime candidates and a pinned CPU.
    const newRun = makeRun({ seed: 32 });
    await store.saveRun(newRun);
    expect(isDeepStrictEqual(await store.getRun(newRun.id), newRun)).toBe(true);
    expect((await store.listRuns()).map((r) => r.id).sort()).toEqual([oldRun.id, newRun.id].sort());
    await store.close();

    expect(await schemaVersionOf(path)).toBe(currentSchemaVersion);
    expect(await columnsOf(path, 'samples')).toEqual(['run_key', 'case_ordinal', 'seq', 'ns', 'cycles', 'candidates']);
    expect(await columnsOf(path, 'runs')).toContain('pinned_cpu');
    expect(await columnsOf(path, 'runs')).toContain('handicap');
  });

  it('opens a store written at schema version 3: its runs load with one block a case on the pinned CPU, and no handicap', async () => {
    const path = freshStorePath();
    await createStoreAtVersion(path, 3);
    expect(await columnsOf(path, 'cases')).not.toContain('block_samples');
    const pinned = makeRun({ seed: 41, samples: 120 });
    const unpinned = makeRun({ seed: 42, samples: 80 });
    unpinned.environment = { ...unpinned.environment, pinnedCpu: null };
    await writeRunAtSchema(path, pinned, 3, 1);
    await writeRunAtSchema(path, unpinned, 3, 2);

    const store = await openStore(path);
    expect(store.schemaVersion).toBe(currentSchemaVersion);
    const loadedPinned = await store.getRun(pinned.id);
    const loadedUnpinned = await store.getRun(unpinned.id);
    expect(isDeepStrictEqual(loadedPinned, asSchemaV3Run(pinned))).toBe(true);
    expect(isDeepStrictEqual(loadedUnpinned, asSchemaV3Run(unpinned))).toBe(true);
    // Spelled out, not only through asSchemaV3Run: every sample in one block, on the CPU the run was pinned to.
    const blocksOf = (run: RunRecord | undefined) => run!.cases.filter((c): c is CompletedCase => c.state === 'completed').map((c) => c.blocks);
    expect(blocksOf(loadedPinned)).toEqual([[{ samples: 120, cpu: 1 }], [{ samples: 6, cpu: 1 }], [{ samples: 60, cpu: 1 }], [{ samples: 1, cpu: 1 }]]);
    expect(blocksOf(loadedUnpinned)).toEqual([[{ samples: 80, cpu: null }], [{ samples: 4, cpu: null }], [{ samples: 40, cpu: null }], [{ samples: 1, cpu: null }]]);
    expect(loadedPinned!.environment.handicap).toBeNull();
    // Overviews read the same single block: every sample's median, on the pinned CPU (or none).
    const overviewBlocks = async (id: string) => (await store.findRunOverviews({ idPrefix: id })).flatMap((o) => o.cases.map((c) => c.blockMedians));
    const [mainPinned] = await overviewBlocks(pinned.id);
    expect(mainPinned).toHaveLength(1);
    expect(mainPinned![0]!.cpu).toBe(1);
    expect(mainPinned![0]!.median).toBeCloseTo(loadedPinned!.cases[0]!.state === 'completed' ? loadedPinned!.cases[0]!.summary.ns.median : NaN, 6);
    expect((await overviewBlocks(unpinned.id)).filter((b) => b.length > 0).map((b) => b.map((x) => x.cpu))).toEqual([[null], [null], [null], [null]]);

    // A run with blocks and a handicap saves and loads alongside them; the old rows stay as they were (NULL).
    const blocked = makeRun({ seed: 43, samples: 60, blockCpus: [1, 0, null], handicap: 0.05 });
    await store.saveRun(blocked);
    expect(isDeepStrictEqual(await store.getRun(blocked.id), blocked)).toBe(true);
    expect(isDeepStrictEqual(await store.getRun(pinned.id), asSchemaV3Run(pinned))).toBe(true);
    await store.close();

    expect(await schemaVersionOf(path)).toBe(currentSchemaVersion);
    expect(await columnsOf(path, 'cases')).toEqual(expect.arrayContaining(['block_samples', 'block_cpus']));
    expect(await columnsOf(path, 'runs')).toContain('handicap');
    const stored = await queryStoreFile(
      path,
      `SELECT r.run_key, count(c.block_samples)::INTEGER AS with_blocks, any_value(r.handicap) AS handicap
         FROM runs r JOIN cases c USING (run_key) WHERE c.state = 'completed' GROUP BY r.run_key ORDER BY r.run_key`,
    );
    expect(stored).toEqual([
      { run_key: 1, with_blocks: 0, handicap: null },
      { run_key: 2, with_blocks: 0, handicap: null },
      { run_key: 3, with_blocks: 4, handicap: 0.05 },
    ]);
  });

  it('opens a store written at schema version 4: its runs are on the testbed derived from their environment, and found by it', async () => {
    const path = freshStorePath();
    await createStoreAtVersion(path, 4);
    expect(await columnsOf(path, 'runs')).not.toContain('testbed');
    // A version 4 store cannot hold the name given here: the run loads on its derived testbed.
    const honest = makeRun({ seed: 51, samples: 60, startedAt: '2025-01-01T00:00:00.000Z', testbed: 'lost-name', blockCpus: [0, 1] });
    const handicapped = makeRun({ seed: 52, samples: 60, startedAt: '2025-01-02T00:00:00.000Z', handicap: 0.05 });
    await writeRunAtSchema(path, honest, 4, 1);
    await writeRunAtSchema(path, handicapped, 4, 2);

    const store = await openStore(path);
    expect(store.schemaVersion).toBe(currentSchemaVersion);
    const loadedHonest = await store.getRun(honest.id);
    const loadedHandicapped = await store.getRun(handicapped.id);
    expect(isDeepStrictEqual(loadedHonest, asSchemaV4Run(honest))).toBe(true);
    expect(isDeepStrictEqual(loadedHandicapped, asSchemaV4Run(handicapped))).toBe(true);
    // Spelled out: the testbed of the environment, which for a handicapped run is a testbed of its own.
    const honestTestbed = derivedTestbed(honest.environment);
    const handicappedTestbed = derivedTestbed(handicapped.environment);
    expect(loadedHonest!.testbed).toBe(honestTestbed);
    expect(loadedHandicapped!.testbed).toBe(handicappedTestbed);
    expect(honestTestbed).not.toBe(handicappedTestbed);

    // New runs beside them: one on the same derived testbed, one on a named one.
    const sameBench = makeRun({ seed: 53, samples: 60, startedAt: '2025-01-03T00:00:00.000Z' });
    const named = makeRun({ seed: 54, samples: 60, startedAt: '2025-01-04T00:00:00.000Z', testbed: 'lab' });
    expect(sameBench.testbed).toBe(honestTestbed);
    await store.saveRun(sameBench);
    await store.saveRun(named);
    expect(isDeepStrictEqual(await store.getRun(named.id), named)).toBe(true);

    const ids = async (filter: Parameters<typeof store.findRuns>[0]) => (await store.findRuns(filter)).map((r) => r.id);
    expect(await ids({ testbed: honestTestbed })).toEqual([sameBench.id, honest.id]);
    expect(await ids({ testbed: honestTestbed, limit: 1 })).toEqual([sameBench.id]);
    expect(await ids({ testbed: honestTestbed, label: 'baseline', status: 'complete' })).toEqual([sameBench.id, honest.id]);
    expect(await ids({ testbed: handicappedTestbed })).toEqual([handicapped.id]);
    expect(await ids({ testbed: 'lab' })).toEqual([named.id]);
    expect(await ids({ testbed: 'lost-name' })).toEqual([]);
    expect((await store.listRuns()).map((r) => [r.id, r.testbed])).toEqual([
      [named.id, 'lab'],
      [sameBench.id, honestTestbed],
      [handicapped.id, handicappedTestbed],
      [honest.id, honestTestbed],
    ]);
    const overviews = await store.findRunOverviews({ testbed: honestTestbed });
    expect(overviews.map((o) => [o.id, o.testbed])).toEqual([
      [sameBench.id, honestTestbed],
      [honest.id, honestTestbed],
    ]);
    await store.close();

    // The old rows stay NULL: the testbed is derived as they are read, never written by the migration.
    expect(await columnsOf(path, 'runs')).toContain('testbed');
    expect(await queryStoreFile(path, 'SELECT run_key, testbed FROM runs ORDER BY run_key')).toEqual([
      { run_key: 1, testbed: null },
      { run_key: 2, testbed: null },
      { run_key: 3, testbed: honestTestbed },
      { run_key: 4, testbed: 'lab' },
    ]);
  });

  it('brings a store forward from every older version', async () => {
    for (let version = 1; version < currentSchemaVersion; version++) {
      const path = freshStorePath();
      await createStoreAtVersion(path, version);
      const old = makeRun({ samples: 30, startedAt: '2024-12-31T00:00:00.000Z', testbed: 'not-kept' });
      await writeRunAtSchema(path, old, version as 1 | 2 | 3 | 4);
      const store = await openStore(path);
      const run = makeRun({ samples: 50 });
      await store.saveRun(run);
      expect(isDeepStrictEqual(await store.getRun(run.id), run), `from version ${version}`).toBe(true);
      // The old run is on its derived testbed, found by it with the new run, which derives the same.
      const loadedOld = await store.getRun(old.id);
      expect(loadedOld!.testbed, `from version ${version}`).toBe(derivedTestbed(loadedOld!.environment));
      expect((await store.findRuns({ testbed: run.testbed })).map((r) => r.id), `from version ${version}`).toEqual([run.id, old.id]);
      await store.close();
      expect(await schemaVersionOf(path), `from version ${version}`).toBe(currentSchemaVersion);
    }
  });

  it('refuses a store from a newer schema than this keyscope knows, leaving it untouched', async () => {
    const path = freshStorePath();
    const store = await openStore(path);
    await store.saveRun(makeRun({ samples: 50 }));
    await store.close();
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run(`UPDATE keyscope_meta SET schema_version = ${currentSchemaVersion + 1}`);
    connection.closeSync();
    instance.closeSync();
    const bytes = readFileSync(path);
    const { mtimeMs } = statSync(path);
    const entries = readdirSync(join(path, '..'));

    const error = await openStore(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KS_STORE_TOO_NEW' });
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).toContain(`schema version ${currentSchemaVersion + 1}`);
    expect(message).not.toContain('\n');
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(mtimeMs);
    expect(readdirSync(join(path, '..'))).toEqual(entries);
  });

  it('leaves a store at its old version when a migration step fails: the steps run in one transaction', async () => {
    const path = freshStorePath();
    await createStoreAtVersion(path, 1);
    const oldRun = asSchemaV1Run(makeRun({ samples: 50 }));
    await writeRunAtSchema(path, oldRun, 1);
    // Step 2 adds cases.candidates_count, then samples.candidates: a column already there makes the second fail.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run('ALTER TABLE samples ADD COLUMN candidates DOUBLE');
    connection.closeSync();
    instance.closeSync();

    const error = await openStore(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KS_STORE_IO' });
    expect((error as Error).message).toMatch(
      new RegExp(`^keyscope store ${path} could not be migrated from schema version 1 to ${currentSchemaVersion} \\(.*candidates.*\\); it was left at version 1$`),
    );
    expect(await schemaVersionOf(path)).toBe(1);
    expect(await columnsOf(path, 'cases')).not.toContain('candidates_count'); // step 2's first statement was rolled back
    expect(await columnsOf(path, 'runs')).not.toContain('pinned_cpu');
    expect(await columnsOf(path, 'runs')).not.toContain('handicap'); // nor any later step
    // Not left locked or half-open in this process either.
    await expect(openStore(path)).rejects.toMatchObject({ code: 'KS_STORE_IO' });
  });

  it('creates stores only at versions it has, and never over an existing file', async () => {
    const path = freshStorePath();
    await expect(createStoreAtVersion(path, 0)).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
    await expect(createStoreAtVersion(path, currentSchemaVersion + 1)).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
    await createStoreAtVersion(path, 1);
    await expect(createStoreAtVersion(path, 1)).rejects.toMatchObject({ code: 'KS_FILE_EXISTS' });
    expect(readdirSync(join(path, '..'))).toEqual(['keyscope.duckdb']);
  });
});
