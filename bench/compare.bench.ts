/**
 * `keyscope compare` of two 1M-sample runs (target: under 2 s). Both runs are stored in a fresh store; the
 * figure is the whole command as a user runs it (a new node process: start-up, opening the store, loading both
 * runs, the statistics, printing), plus, in process, how that splits into loading and comparing.
 * Usage: npm run bench:compare [-- --samples N --repeats R]. Works in a temporary directory it removes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { compareRuns } from '../src/compare/compare-runs.js';
import { referenceOf } from '../src/compare/resolve-runs.js';
import { openStore } from '../src/store/index.js';
import { makeLargeRun } from '../test/support/store-fixtures.js';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '1000000' }, repeats: { type: 'string', default: '5' } } });
const samples = Number(values.samples);
const repeats = Number(values.repeats);
const bin = fileURLToPath(new URL('../bin/keyscope.js', import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'keyscope-compare-bench-'));
const db = join(dir, 'keyscope.duckdb');
try {
  const baseline = { ...makeLargeRun(samples, { seed: 1 }), label: 'baseline', startedAt: '2026-11-20T10:00:00.000Z' };
  const candidate = { ...makeLargeRun(samples, { seed: 2 }), label: 'candidate', startedAt: '2026-11-21T10:00:00.000Z' };
  const store = await openStore(db);
  await store.saveRun(baseline);
  await store.saveRun(candidate);
  await store.close();
  console.log(`compare of two runs of ${samples.toLocaleString('en')} samples each (one case), ${repeats} repeats`);

  const command: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    try {
      execFileSync(process.execPath, [bin, 'compare', 'baseline', 'candidate', '--db', db], { stdio: 'pipe' });
    } catch (error) {
      // exit 1 (a regression) is a verdict, not a failure of the benchmark
      if ((error as { status?: number }).status !== 1) throw error;
    }
    command.push(performance.now() - start);
  }
  const load: number[] = [];
  const compare: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const opened = await openStore(db, { create: false });
    let start = performance.now();
    const a = (await opened.getRun(baseline.id))!;
    const b = (await opened.getRun(candidate.id))!;
    load.push(performance.now() - start);
    await opened.close();
    start = performance.now();
    compareRuns({ run: a, reference: referenceOf({ run: a, source: 'store' }) }, { run: b, reference: referenceOf({ run: b, source: 'store' }) });
    compare.push(performance.now() - start);
  }
  const total = median(command);
  console.log(`keyscope compare (new process)   median ${total.toFixed(0)} ms  best ${Math.min(...command).toFixed(0)} ms  (target < 2000 ms: ${total < 2000 ? 'met' : 'MISSED'})`);
  console.log(`  in process: load both runs      median ${median(load).toFixed(0)} ms`);
  console.log(`  in process: compareRuns         median ${median(compare).toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
