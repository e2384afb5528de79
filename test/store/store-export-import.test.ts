import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import { describe, expect, it } from 'vitest';

import type { CompletedCase, RunRecord } from '../../src/model/types.js';
import { derivedTestbed } from '../../src/model/index.js';
import { openStore, readRunExport, type RunStore } from '../../src/store/index.js';
import { makeRun, queryStoreFile, sampleRowsOf } from '../support/store-fixtures.js';

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'keyscope-export-'));
}

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function completedCases(run: RunRecord): CompletedCase[] {
  return run.cases.filter((c): c is CompletedCase => c.state === 'completed');
}

/** The keyscope-run document in a Parquet export's metadata. */
async function parquetDocument(file: string): Promise<Record<string, unknown>> {
  const metadata = await queryStoreFile(null, `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${file}')`);
  return JSON.parse(String(metadata.find((m) => m.key === 'keyscope-run')?.value)) as Record<string, unknown>;
}

/** A copy of `source` (a Parquet export) with `document` as its metadata, as another writer could make it. */
async function withParquetDocument(source: string, target: string, document: unknown): Promise<void> {
  await queryStoreFile(
    null,
    `COPY (SELECT * FROM read_parquet('${source}')) TO '${target}'
       (FORMAT parquet, KV_METADATA {'keyscope-run': '${JSON.stringify(document).replaceAll("'", "''")}'})`,
  );
}

interface DocumentCase {
  state: string;
  samples?: unknown;
  blocks?: unknown;
}

interface Document {
  version: number;
  run: { testbed?: unknown; environment: Record<string, unknown>; cases: DocumentCase[] };
}

/** `document` as keyscope wrote it before version 3: no testbed. */
function asVersion2(document: Document): Document {
  const old = structuredClone(document);
  old.version = 2;
  delete old.run.testbed;
  return old;
}

/** `document` as keyscope wrote it before version 2: as asVersion2, and no blocks, no handicap. */
function asVersion1(document: Document): Document {
  const old = asVersion2(document);
  old.version = 1;
  delete old.run.environment.handicap;
  for (const c of old.run.cases) delete c.blocks;
  return old;
}

/** `current` (an export of either format) rewritten by `change` into `old`, as an older keyscope could have written it. */
async function rewriteExport(format: 'json' | 'parquet', current: string, old: string, change: (document: Document) => Document): Promise<void> {
  if (format === 'json') writeFileSync(old, JSON.stringify(change(JSON.parse(readFileSync(current, 'utf8')) as Document)));
  else await withParquetDocument(current, old, change((await parquetDocument(current)) as unknown as Document));
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
    it(`moves a run's blocks (on different CPUs and on none) and its handicap through ${format}`, async () => {
      const dir = freshDir();
      const run = makeRun({ seed: 9, samples: 500, blockCpus: [1, null, 0], handicap: 0.02 });
      expect(completedCases(run)[0]!.blocks).toEqual([{ samples: 167, cpu: 1 }, { samples: 167, cpu: null }, { samples: 166, cpu: 0 }]);
      const source = await storeWith(dir, 'source.duckdb', run);
      const file = join(dir, `run.${format}`);
      await source.exportRun(run.id, file);
      await source.close();

      // Read without a store (as compare reads a downloaded baseline), and imported into another.
      expect(isDeepStrictEqual(await readRunExport(file), run)).toBe(true);
      const target = await openStore(join(dir, 'target.duckdb'));
      expect(await target.importRun(file)).toBe(run.id);
      const imported = await target.getRun(run.id);
      await target.close();
      expect(isDeepStrictEqual(imported, run)).toBe(true);
      expect(imported!.environment.handicap).toBe(0.02);
      expect(completedCases(imported!).map((c) => c.blocks)).toEqual(completedCases(run).map((c) => c.blocks));
    });

    it(`still imports a ${format} export from before blocks (document version 1): one block a case on the pinned CPU, no handicap, the derived testbed`, async () => {
      const dir = freshDir();
      const run = makeRun({ seed: 10, samples: 200, blockCpus: [0, 1], handicap: 0.02, testbed: 'lab' });
      const source = await storeWith(dir, 'source.duckdb', run);
      const current = join(dir, `current.${format}`);
      await source.exportRun(run.id, current);
      await source.close();
      const old = join(dir, `old.${format}`);
      await rewriteExport(format, current, old, asVersion1);

      const environment = { ...run.environment, handicap: null };
      const expected: RunRecord = {
        ...run,
        environment,
        testbed: derivedTestbed(environment),
        cases: run.cases.map((c) => (c.state === 'completed' ? { ...c, blocks: [{ samples: c.samples.ns.length, cpu: 1 }] } : c)),
      };
      expect(isDeepStrictEqual(await readRunExport(old), expected)).toBe(true);
      const target = await openStore(join(dir, 'target.duckdb'));
      expect(await target.importRun(old)).toBe(run.id);
      expect(isDeepStrictEqual(await target.getRun(run.id), expected)).toBe(true);
      await target.close();
    });

    it(`moves a run's named testbed through ${format} (document version 3)`, async () => {
      const dir = freshDir();
      const run = makeRun({ seed: 22, samples: 100, testbed: 'ci-linux_x64.2' });
      const source = await storeWith(dir, 'source.duckdb', run);
      const file = join(dir, `run.${format}`);
      await source.exportRun(run.id, file);
      await source.close();

      const document = (format === 'json' ? JSON.parse(readFileSync(file, 'utf8')) : await parquetDocument(file)) as Document;
      expect(document.version).toBe(3);
      expect(document.run.testbed).toBe('ci-linux_x64.2');
      expect(isDeepStrictEqual(await readRunExport(file), run)).toBe(true);
      const target = await openStore(join(dir, 'target.duckdb'));
      expect(await target.importRun(file)).toBe(run.id);
      expect(isDeepStrictEqual(await target.getRun(run.id), run)).toBe(true);
      expect(await target.findRuns({ testbed: 'ci-linux_x64.2' })).toHaveLength(1);
      await target.close();
    });

    it(`still imports a ${format} export from before testbeds (document version 2): on the testbed derived from its environment`, async () => {
      const dir = freshDir();
      // Handicapped, so that the environment the testbed is derived from is visibly the document's own.
      const run = makeRun({ seed: 23, samples: 100, blockCpus: [0, 1], handicap: 0.02, testbed: 'lab' });
      const source = await storeWith(dir, 'source.duckdb', run);
      const current = join(dir, `current.${format}`);
      await source.exportRun(run.id, current);
      await source.close();
      const old = join(dir, `old.${format}`);
      await rewriteExport(format, current, old, asVersion2);

      const expected: RunRecord = { ...run, testbed: derivedTestbed(run.environment) };
      expect(expected.testbed).not.toBe(derivedTestbed({ ...run.environment, handicap: null }));
      expect(isDeepStrictEqual(await readRunExport(old), expected)).toBe(true);
      const target = await openStore(join(dir, 'target.duckdb'));
      expect(await target.importRun(old)).toBe(run.id);
      expect(isDeepStrictEqual(await target.getRun(run.id), expected)).toBe(true);
      expect((await target.findRuns({ testbed: expected.testbed })).map((r) => r.id)).toEqual([run.id]);
      // And it exports again as version 3, with the testbed it was given spelled out.
      const again = join(dir, `again.${format}`);
      await target.exportRun(run.id, again);
      await target.close();
      const document = (format === 'json' ? JSON.parse(readFileSync(again, 'utf8')) : await parquetDocument(again)) as Document;
      expect([document.version, document.run.testbed]).toEqual([3, expected.testbed]);
    });

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

  it('derives an older document\'s testbed from its environment as decoded, a handicap of -0 as the number it encodes', async () => {
    const dir = freshDir();
    const run = makeRun({ seed: 24, samples: 40, handicap: -0 });
    const source = await storeWith(dir, 'source.duckdb', run);
    const current = join(dir, 'current.json');
    await source.exportRun(run.id, current);
    await source.close();
    const document = JSON.parse(readFileSync(current, 'utf8')) as Document;
    expect(document.run.environment.handicap).toEqual({ $number: '-0' });
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify(asVersion2(document)));

    const read = await readRunExport(old);
    expect(Object.is(read.environment.handicap, -0)).toBe(true);
    expect(read.testbed).toBe(derivedTestbed({ ...run.environment, handicap: 0 }));
    expect(isDeepStrictEqual(read, run)).toBe(true);
  });

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
    expect(document).toMatchObject({ format: 'keyscope-run', version: 3, samples: 'inline', run: { id: run.id, testbed: run.testbed } });
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
    const document = JSON.parse(String(entry?.value)) as {
      version: number;
      samples: string;
      run: { id: string; testbed: unknown; environment: { handicap: unknown }; cases: { samples?: unknown; blocks?: unknown }[] };
    };
    expect(document.version).toBe(3);
    expect(document.run.testbed).toBe(run.testbed);
    expect(document.samples).toBe('parquet-columns');
    expect(document.run.id).toBe(run.id);
    expect(document.run.cases[0]!.samples).toEqual({ ns: 400, cycles: 400, candidates: null });
    expect(document.run.cases[0]!.blocks).toEqual([{ samples: 400, cpu: 1 }]);
    expect(document.run.environment.handicap).toBeNull();
  });

  it('reads the real quick-run Parquet exports made before blocks: every case one block of all its samples, no handicap, the derived testbed', async () => {
    for (const name of ['quick-run-a.parquet', 'quick-run-b.parquet']) {
      const run = await readRunExport(fixture(name));
      const cases = completedCases(run);
      expect(cases, name).toHaveLength(20);
      expect(run.environment.pinnedCpu, name).toBeNull(); // made with --no-pin
      expect(run.environment.handicap, name).toBeNull();
      for (const c of cases) expect(c.blocks, `${name} ${c.key.case}`).toEqual([{ samples: c.samples.ns.length, cpu: null }]);
      expect(run.testbed, name).toBe(derivedTestbed(run.environment));

      // And they import into a store as they read, and export again as version 3 with the blocks and testbed spelled out.
      const dir = freshDir();
      const store = await openStore(join(dir, 'k.duckdb'));
      expect(await store.importRun(fixture(name))).toBe(run.id);
      expect(isDeepStrictEqual(await store.getRun(run.id), run), name).toBe(true);
      const again = join(dir, 'again.parquet');
      await store.exportRun(run.id, again);
      await store.close();
      const document = (await parquetDocument(again)) as unknown as Document;
      expect(document.version).toBe(3);
      expect(document.run.testbed).toBe(run.testbed);
      expect(document.run.cases.filter((c) => c.state === 'completed').every((c) => Array.isArray(c.blocks))).toBe(true);
    }
  });

  it('refuses an export whose blocks do not partition its samples, or whose handicap or testbed is invalid, naming the place', async () => {
    const dir = freshDir();
    const run = makeRun({ samples: 60, blockCpus: [0, 1] });
    const source = await storeWith(dir, 'source.duckdb', run);
    const json = join(dir, 'good.json');
    const parquet = join(dir, 'good.parquet');
    await source.exportRun(run.id, json);
    await source.exportRun(run.id, parquet);
    await source.close();
    const good = JSON.parse(readFileSync(json, 'utf8')) as Document;
    const goodMetadata = (await parquetDocument(parquet)) as unknown as Document;

    const changed = (document: Document, change: (d: Document) => void): Document => {
      const copy = structuredClone(document);
      change(copy);
      return copy;
    };
    const badBlocks: Record<string, (d: Document) => void> = {
      short: (d) => (d.run.cases[0]!.blocks = [{ samples: 30, cpu: 0 }, { samples: 29, cpu: 1 }]),
      empty: (d) => (d.run.cases[0]!.blocks = []),
      zero: (d) => (d.run.cases[0]!.blocks = [{ samples: 60, cpu: 0 }, { samples: 0, cpu: 1 }]),
      negativeCpu: (d) => (d.run.cases[0]!.blocks = [{ samples: 60, cpu: -1 }]),
      fractionalCpu: (d) => (d.run.cases[0]!.blocks = [{ samples: 60, cpu: 0.5 }]),
      notAList: (d) => (d.run.cases[0]!.blocks = { samples: 60, cpu: 0 }),
      // A version 2 document must carry them: only version 1 documents get the one-block default.
      missing: (d) => delete d.run.cases[0]!.blocks,
      missingHandicap: (d) => delete d.run.environment.handicap,
      negativeHandicap: (d) => (d.run.environment.handicap = -0.5),
      // A version 3 document must carry its testbed: only older documents get the derived one.
      missingTestbed: (d) => delete d.run.testbed,
      badTestbed: (d) => (d.run.testbed = 'two words'),
      // An older document's testbed is derived from its environment: where that is invalid, the environment is named.
      version2BadEnvironment: (d) => {
        Object.assign(d, asVersion2(d));
        d.run.environment.cores = 'two';
      },
    };
    const target = await openStore(join(dir, 'target.duckdb'));
    const reasons: Record<string, [string, string]> = {};
    for (const [name, change] of Object.entries(badBlocks)) {
      const files = [join(dir, `${name}.json`), join(dir, `${name}.parquet`)] as const;
      writeFileSync(files[0], JSON.stringify(changed(good, change)));
      await withParquetDocument(parquet, files[1], changed(goodMetadata, change));
      const reason = async (file: string) => {
        const error = await target.importRun(file).catch((e: unknown) => e);
        expect(error, file).toMatchObject({ code: 'KS_IMPORT_INVALID' });
        const prefix = `${file} is not a keyscope run export: `;
        expect((error as Error).message.startsWith(prefix), file).toBe(true);
        return (error as Error).message.slice(prefix.length);
      };
      reasons[name] = [await reason(files[0]), await reason(files[1])];
    }
    expect(reasons.short).toEqual([
      "document.run.cases.0.blocks: must add up to the case's 60 ns samples (they add up to 59)",
      "metadata.run.cases.0.blocks: must add up to the case's 60 ns samples (they add up to 59)",
    ]);
    expect(reasons.empty).toEqual(['document.run.cases.0.blocks: must hold at least one block', 'metadata.run.cases.0.blocks: must hold at least one block']);
    for (const [name, place] of [
      ['zero', 'run.cases.0.blocks.1.samples'],
      ['negativeCpu', 'run.cases.0.blocks.0.cpu'],
      ['fractionalCpu', 'run.cases.0.blocks.0.cpu'],
      ['notAList', 'run.cases.0.blocks'],
      ['missing', 'run.cases.0.blocks'],
      ['missingHandicap', 'run.environment.handicap'],
      ['negativeHandicap', 'run.environment.handicap'],
      ['missingTestbed', 'run.testbed'],
      ['badTestbed', 'run.testbed'],
      ['version2BadEnvironment', 'run.environment.cores'],
    ] as const) {
      expect(reasons[name]![0], name).toMatch(new RegExp(`^document\\.${place.replaceAll('.', '\\.')}: `));
      expect(reasons[name]![1], name).toMatch(new RegExp(`^metadata\\.${place.replaceAll('.', '\\.')}: `));
    }
    expect(await target.listRuns()).toEqual([]);
    await target.close();
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
    future.version = 4;
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
      if (c.samples) Object.assign(c, { samples: { ns: 1e9, cycles: null, candidates: null }, blocks: [{ samples: 1e9, cpu: null }] });
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
    expect(messages['future.json']).toBe('document.version: must be 1, 2 or 3 (this keyscope reads versions 1, 2 and 3)');
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
