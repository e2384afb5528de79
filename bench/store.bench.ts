/**
 * Run store benchmarks (the store issue's targets), on a 1M-sample run: one completed case with a million
 * iterations, ns and cycles series (two million values, the shape of a long throughput run).
 *  1. saveRun: at least 1M samples/s into DuckDB (one transaction, samples through the appender);
 *  2. getRun and a summary of the loaded samples (median, p99, mean by sorting): under 1 s together.
 * Also printed, without targets: opening the store (it reads every block, see src/store/verify-store.ts) and
 * exporting / importing the run as Parquet and JSON.
 * Usage: npx tsx bench/store.bench.ts [--quick] [--samples N]. Works in a temporary directory it removes.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openStore, type RunStore } from '../src/store/index.js';
import { makeLargeRun } from '../test/support/store-fixtures.js';

const quick = process.argv.includes('--quick');
const samplesFlag = process.argv.indexOf('--samples');
const samples = samplesFlag >= 0 ? Number(process.argv[samplesFlag + 1]) : 1_000_000;
const repeats = quick ? 3 : 7;

/** The summary the target is about, computed here with a plain sort (the stats module is not the subject). */
function summarize(values: Float64Array): { median: number; p99: number; mean: number } {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  let sum = 0;
  for (const v of values) sum += v;
  return { median: at(0.5), p99: at(0.99), mean: sum / values.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

function line(name: string, ms: number[], extra = ''): void {
  const m = median(ms);
  console.log(`${name.padEnd(34)} median ${m.toFixed(1).padStart(8)} ms   best ${Math.min(...ms).toFixed(1).padStart(8)} ms   ${extra}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-store-bench-'));
  const path = join(dir, 'keyscope.duckdb');
  console.log(`run store benchmark: ${samples.toLocaleString('en')} samples per run (ns + cycles), ${repeats} repeats, ${dir}`);
  let store: RunStore | undefined;
  try {
    store = await openStore(path);
    const runs = Array.from({ length: repeats }, (_, i) => makeLargeRun(samples, { seed: i + 1 }));

    // 1. Saving: each repeat stores a fresh run, so the store grows as it would in use.
    const saves: number[] = [];
    for (const run of runs) saves.push((await time(() => store!.saveRun(run))).ms);
    const saveRate = samples / (median(saves) / 1000);
    line('saveRun', saves, `${(saveRate / 1e6).toFixed(2)} M samples/s (target >= 1 M/s: ${saveRate >= 1e6 ? 'met' : 'MISSED'})`);

    // 2. Loading one run back and summarizing it.
    const loads: number[] = [];
    const loadAndSummarize: number[] = [];
    for (const run of runs) {
      const { ms: loadMs, result: loaded } = await time(() => store!.getRun(run.id));
      const first = loaded?.cases[0];
      if (first?.state !== 'completed' || first.samples.ns.length !== samples) throw new Error('the run did not load back');
      const start = performance.now();
      summarize(first.samples.ns);
      loads.push(loadMs);
      loadAndSummarize.push(loadMs + performance.now() - start);
    }
    line('getRun', loads);
    const total = median(loadAndSummarize);
    line('getRun + summary (median/p99/mean)', loadAndSummarize, `target < 1000 ms: ${total < 1000 ? 'met' : 'MISSED'}`);

    // Not targets: what opening costs with this many samples stored, and moving a run out and back.
    await store.close();
    store = undefined;
    const opens: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { ms, result } = await time(() => openStore(path));
      opens.push(ms);
      await result.close();
    }
    line(`openStore (${repeats * samples / 1e6}M samples stored)`, opens, `${(statSync(path).size / 2 ** 20).toFixed(1)} MiB file`);

    store = await openStore(path);
    const other = join(dir, 'other.duckdb');
    for (const format of ['parquet', 'json'] as const) {
      const file = join(dir, `run.${format}`);
      const exported = await time(() => store!.exportRun(runs[0]!.id, file));
      const target = await openStore(other);
      const imported = await time(() => target.importRun(file));
      await target.close();
      rmSync(other, { force: true });
      console.log(
        `export / import ${format.padEnd(8)}          ${exported.ms.toFixed(0).padStart(6)} ms / ${imported.ms.toFixed(0).padStart(6)} ms   ` +
          `${(statSync(file).size / 2 ** 20).toFixed(1)} MiB file`,
      );
    }
  } finally {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
