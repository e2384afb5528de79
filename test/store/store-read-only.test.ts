import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { openStore } from '../../src/store/index.js';
import { makeRun } from '../support/store-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-read-only-'));
const path = join(dir, 'store.duckdb');
const run = makeRun({ seed: 3 });

beforeAll(async () => {
  const store = await openStore(path);
  await store.saveRun(run);
  await store.close();
});


describe('a read-only store', () => {
  it('reads runs as the writable store does, and loads cycles only when asked', async () => {
    const store = await openStore(path, { readOnly: true });
    try {
      expect((await store.listRuns()).map((r) => r.id)).toEqual([run.id]);
      const full = (await store.getRun(run.id))!;
      const lean = (await store.getRun(run.id, { cycles: false }))!;
      const ed = (r: typeof full) => r.cases.find((c) => c.key.case === 'ed25519')!;
      const fullCase = ed(full);
      const leanCase = ed(lean);
      if (fullCase.state !== 'completed' || leanCase.state !== 'completed') throw new Error('ed25519 not completed');
      expect(fullCase.samples.cycles).not.toBeNull();
      expect(leanCase.samples.cycles).toBeNull();
      expect(Array.from(leanCase.samples.ns)).toEqual(Array.from(fullCase.samples.ns));
      expect(leanCase.summary.cycles).toEqual(fullCase.summary.cycles);
    } finally {
      await store.close();
    }
  });

  it('refuses every write with KS_STORE_READ_ONLY and leaves the file as it was', async () => {
    const before = readFileSync(path);
    const store = await openStore(path, { readOnly: true });
    try {
      await expect(store.saveRun(makeRun({ seed: 4 }))).rejects.toMatchObject({ code: 'KS_STORE_READ_ONLY' });
      await expect(store.deleteRun(run.id)).rejects.toMatchObject({ code: 'KS_STORE_READ_ONLY' });
      await expect(store.importRun(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'KS_STORE_READ_ONLY' });
    } finally {
      await store.close();
    }
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('never creates a store, and still refuses a file that is not one', async () => {
    await expect(openStore(join(dir, 'absent.duckdb'), { readOnly: true })).rejects.toMatchObject({ code: 'KS_STORE_NOT_FOUND' });
    const foreign = join(dir, 'foreign.duckdb');
    writeFileSync(foreign, 'not a database at all, just text that is long enough to look like a file');
    await expect(openStore(foreign, { readOnly: true })).rejects.toMatchObject({ code: expect.stringMatching(/^KS_STORE_(FOREIGN|CORRUPT)$/) });
  });
});
