import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { describe, expect, it } from 'vitest';

import type { CompletedCase, RunRecord } from '../../src/model/types.js';
import { openStore, type RunStore } from '../../src/store/index.js';
import { makeRun, queryStoreFile, sampleRowsOf } from '../support/store-fixtures.js';

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'keyscope-export-'));
}

/** A run with the values JSON cannot write as numbers, to prove the encodings are exact. */
function runWithOddNumbers(): RunRecord {
  const run = makeRun({ seed: 21, status: 'aborted' });
  const first = run.cases[0] as CompletedCase;
  first.samples.ns = Float64Array.of(-0, NaN, Infinity, -Infinity, 5e-324, 0.1 + 0.2, 41_000);
  first.blocks = [{ samples: 7, cpu: 1 }];
  first.samples.cycles = Float64Array.of(1, 2, 3);
  first.parameters = { offset: -0, ratio: NaN, name: 'NaN' };
  first.summary.ns = { ...first.summary.ns, stddev: NaN, medianInterval: { confidence: 0.99, low: -Infinity, high: Infinity } };
  return run;
}

async function storeWith(dir: string, name: string, ...runs: RunRecord[]): Promise<RunStore> {
  const store = await openStore(join(dir, name));
  for (const run of runs) await store.saveRun(run);
  return store;
}

describe('run export and import', () => {
  for (const format of ['json', 'parquet'] as const) {
    it(`moves a run to another store through ${format}, identical down to the samples`, async () => {
      const dir = freshDir();
      const run = makeRun({ seed: 8 });
      const odd = runWithOddNumbers();
      const source = await storeWith(dir, 'source.duckdb', run, odd);
      const file = join(dir, `run.${format}`);
      const oddFile = join(dir, `odd.${format}`);
      expect(await source.exportRun(run.id, file)).toEqual({ format, samples: 3101 });
      await source.exportRun(odd.id, oddFile);
      await source.close();

      const target = await openStore(join(dir, 'target.duckdb'));
      expect(await target.importRun(file)).toBe(run.id);
      expect(await target.importRun(oddFile)).toBe(odd.id);
      expect(isDeepStrictEqual(await target.getRun(run.id), run)).toBe(true);
      expect(isDeepStrictEqual(await target.getRun(odd.id), odd)).toBe(true);
      await target.close();
      expect(readdirSync(dir).sort()).toEqual([`odd.${format}`, `run.${format}`, 'source.duckdb', 'target.duckdb']);
    });

    it(`moves a run without a single sample (every case errored or skipped) through ${format}`, async () => {
      const dir = freshDir();
      const full = makeRun({ status: 'aborted' });
      const run: RunRecord = { ...full, cases: full.cases.filter((c) => c.state !== 'completed') };
      const source = await storeWith(dir, 'source.duckdb', run);
      const file = join(dir, `run.${format}`);
      expect(await source.exportRun(run.id, file)).toEqual({ format, samples: 0 });
      await source.close();
      const target = await openStore(join(dir, 'target.duckdb'));
      expect(await target.importRun(file)).toBe(run.id);
      expect(isDeepStrictEqual(await target.getRun(run.id), run)).toBe(true);
      await target.close();
    });
  }

  it('writes JSON as a versioned document with samples as plain number arrays', async () => {
    const dir = freshDir();
    const run = makeRun({ samples: 50 });
    const store = await storeWith(dir, 'k.duckdb', run);
    const file = join(dir, 'run.json');
    await store.exportRun(run.id, file);
    await store.close();

    const document = JSON.parse(readFileSync(file, 'utf8')) as {
      format: string;
      version: number;
      samples: string;
      run: { id: string; cases: { samples?: { ns: unknown[]; cycles: unknown } }[] };
    };
    expect(document).toMatchObject({ format: 'keyscope-run', version: 1, samples: 'inline', run: { id: run.id } });
    const ns = document.run.cases[0]!.samples!.ns;
    expect(ns).toEqual(Array.from((run.cases[0] as CompletedCase).samples.ns));
    expect(ns.every((v) => typeof v === 'number')).toBe(true);
    expect(document.run.cases[2]!.samples!.cycles).toBeNull();
  });

  it('writes Parquet with one row per sample and the run in its key-value metadata', async () => {
    const dir = freshDir();
    const run = makeRun({ samples: 400 });
    const store = await storeWith(dir, 'k.duckdb', run);
    const file = join(dir, 'run.parquet');
    await store.exportRun(run.id, file);
    await store.close();

    // Read back with DuckDB's own Parquet functions, as another tool would.
    const [counts] = await queryStoreFile(null, `SELECT count(*)::INTEGER AS n, count(DISTINCT case_ordinal)::INTEGER AS cases FROM read_parquet('${file}')`);
    expect(counts).toEqual({ n: sampleRowsOf(run), cases: 4 });
    const metadata = await queryStoreFile(null, `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${file}')`);
    const entry = metadata.find((m) => m.key === 'keyscope-run');
    const document = JSON.parse(String(entry?.value)) as { samples: string; run: { id: string; cases: { samples?: unknown }[] } };
    expect(document.samples).toBe('parquet-columns');
    expect(document.run.id).toBe(run.id);
    expect(document.run.cases[0]!.samples).toEqual({ ns: 400, cycles: 400, candidates: null });
  });

  it('refuses to import a run that is already in the store', async () => {
    const dir = freshDir();
    const run = makeRun();
    const store = await storeWith(dir, 'k.duckdb', run);
    for (const format of ['json', 'parquet']) {
      const file = join(dir, `run.${format}`);
      await store.exportRun(run.id, file);
      const error = await store.importRun(file).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'KS_RUN_EXISTS' });
      expect((error as Error).message).toContain(run.id);
    }
    expect(await store.listRuns()).toHaveLength(1);
    expect(isDeepStrictEqual(await store.getRun(run.id), run)).toBe(true);
    await store.close();
  });

  it('refuses files that are not keyscope exports with one line naming the file, storing nothing', async () => {
    const dir = freshDir();
    const run = makeRun({ samples: 200 });
    const source = await storeWith(dir, 'source.duckdb', run);
    const good = join(dir, 'good.parquet');
    await source.exportRun(run.id, good);
    await source.exportRun(run.id, join(dir, 'good.json'));
    await source.close();

    const files: Record<string, string> = {};
    const write = (name: string, data: string | Buffer) => {
      files[name] = join(dir, name);
      writeFileSync(files[name], data);
    };
    write('notes.txt', 'these are not the runs you are looking for\n');
    write('other.json', JSON.stringify({ hello: 'world' }));
    const future = JSON.parse(readFileSync(join(dir, 'good.json'), 'utf8')) as { version: number };
    future.version = 2;
    write('future.json', JSON.stringify(future));
    const broken = JSON.parse(readFileSync(join(dir, 'good.json'), 'utf8')) as { run: { cases: { samples?: { ns: unknown[] } }[] } };
    broken.run.cases[0]!.samples!.ns[3] = 'fast';
    write('broken.json', JSON.stringify(broken));
    write('truncated.parquet', readFileSync(good).subarray(0, 600));
    // Metadata that claims more samples than the file holds (a hostile file could claim billions).
    files['inflated.parquet'] = join(dir, 'inflated.parquet');
    const inflated = JSON.parse(readFileSync(join(dir, 'good.json'), 'utf8')) as { samples: string; run: { cases: { samples?: unknown }[] } };
    inflated.samples = 'parquet-columns';
    inflated.run.cases.forEach((c) => {
      if (c.samples) c.samples = { ns: 1e9, cycles: null, candidates: null };
    });
    await queryStoreFile(
      null,
      `COPY (SELECT * FROM read_parquet('${good}')) TO '${files['inflated.parquet']}'
         (FORMAT parquet, KV_METADATA {'keyscope-run': '${JSON.stringify(inflated).replaceAll("'", "''")}'})`,
    );
    files['missing.json'] = join(dir, 'missing.json');

    // A Parquet file without keyscope metadata, written by DuckDB itself.
    files['plain.parquet'] = join(dir, 'plain.parquet');
    await queryStoreFile(null, `COPY (SELECT 1 AS x) TO '${files['plain.parquet']}' (FORMAT parquet)`);

    const target = await openStore(join(dir, 'target.duckdb'));

    const messages: Record<string, string> = {};
    for (const [name, file] of Object.entries(files)) {
      const error = await target.importRun(file).catch((e: unknown) => e);
      expect(error, name).toMatchObject({ code: 'KS_IMPORT_INVALID' });
      const message = (error as Error).message;
      expect(message, name).not.toContain('\n');
      expect(message.startsWith(`${file} is not a keyscope run export: `), name).toBe(true);
      messages[name] = message.slice(`${file} is not a keyscope run export: `.length);
    }
    expect(messages['notes.txt']).toBe('it is not JSON');
    expect(messages['other.json']).toMatch(/^document\.format: /);
    expect(messages['future.json']).toBe('document.version: must be 1 (this keyscope reads version 1)');
    expect(messages['broken.json']).toBe('document.run.cases.0.samples.ns.3: must be a number');
    expect(messages['missing.json']).toBe('it does not exist');
    expect(messages['plain.parquet']).toBe('it is a Parquet file without keyscope "keyscope-run" metadata');
    expect(messages['truncated.parquet']).toMatch(/^DuckDB cannot read it \(/);
    expect(messages['inflated.parquet']).toBe(`its metadata declares 4000000000 sample rows but it has ${sampleRowsOf(run)}`);
    expect(await target.listRuns()).toEqual([]);
    await target.close();
  });

  it('names a missing run, never replaces a file unless forced, and wants a known extension', async () => {
    const dir = freshDir();
    const run = makeRun({ samples: 100 });
    const store = await storeWith(dir, 'k.duckdb', run);
    const existing = join(dir, 'existing.json');
    writeFileSync(existing, 'precious');
    const before = statSync(existing).mtimeMs;

    await expect(store.exportRun('00000000-0000-4000-8000-000000000000', join(dir, 'x.json'))).rejects.toMatchObject({
      code: 'KS_RUN_NOT_FOUND',
      message: `no run 00000000-0000-4000-8000-000000000000 in keyscope store ${join(dir, 'k.duckdb')}`,
    });
    await expect(store.exportRun(run.id, existing)).rejects.toMatchObject({ code: 'KS_FILE_EXISTS' });
    expect(readFileSync(existing, 'utf8')).toBe('precious');
    expect(statSync(existing).mtimeMs).toBe(before);
    await expect(store.exportRun(run.id, join(dir, 'run.csv'))).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });

    expect(await store.exportRun(run.id, existing, { force: true })).toMatchObject({ format: 'json' });
    expect(JSON.parse(readFileSync(existing, 'utf8'))).toMatchObject({ format: 'keyscope-run' });
    await store.close();
    expect(readdirSync(dir).sort()).toEqual(['existing.json', 'k.duckdb']); // no temporary files left behind
  });
});
