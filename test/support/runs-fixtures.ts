/** A temporary run store holding the given runs, for the `runs` CLI tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { RunRecord } from '../../src/model/types.js';
import { openStore } from '../../src/store/index.js';

export async function storeWith(runs: readonly RunRecord[]): Promise<{ dir: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-runs-'));
  const db = join(dir, 'store.duckdb');
  const store = await openStore(db);
  try {
    for (const run of runs) await store.saveRun(run);
  } finally {
    await store.close();
  }
  return { dir, db };
}
