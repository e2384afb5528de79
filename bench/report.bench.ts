/**
 * HTML report benchmark (the report issue's targets): 50 runs of 20 cases each, 2,000 to 20,000 samples per
 * case with HDR histograms encoded as the engine encodes them; one report of the last two runs whose history
 * is all 50 and whose comparison is between those two.
 *  1. generating the report (model + HTML, the first call reading the inlined assets from disk): under 2 s;
 *  2. the HTML: under 3 MB.
 * Building the runs is not timed. The comparison comes from compareRuns when it loads, else it is built by
 * hand from the runs' summaries (the report only lays it out).
 * Usage: npx tsx bench/report.bench.ts [--quick] [--write path.html]
 */
import type { CaseKey, CaseResult, RunRecord } from '../src/model/types.js';
import { derivedTestbed } from '../src/model/testbed.js';
import type { RunComparison } from '../src/compare/types.js';
import { type GeneratedReport, generateReport, writeReportFile } from '../src/report/index.js';
import { seededRandom } from '../src/stats/seeded-random.js';
import { completedCase, countersWithGaps, handComparison, reference, skewedTimings } from '../test/support/report-fixtures.js';
import { environment } from '../test/support/store-fixtures.js';

const quick = process.argv.includes('--quick');
const writeFlag = process.argv.indexOf('--write');
const RUNS = 50;
const CASES = 20;
const repeats = quick ? 3 : 7;

const algorithms = ['ed25519', 'ed448', 'x25519', 'x448', 'ec-p256', 'ec-p384', 'ec-p521', 'rsa-2048', 'rsa-3072', 'ml-kem-768'];
const implementations = ['keyscope-native', 'node:crypto'];

/** Case i of every run: its key, typical time and sample count stay the same from run to run. */
function caseShape(i: number): { key: CaseKey; typical: number; samples: number; rsa: boolean } {
  const algorithm = algorithms[i % algorithms.length]!;
  const rsa = algorithm.startsWith('rsa');
  return {
    key: { suite: 'keygen', case: algorithm, implementation: implementations[Math.floor(i / algorithms.length) % implementations.length]!, algorithm },
    typical: rsa ? 60_000_000 : 20_000 + 9_000 * (i % 7),
    // 2,000 to 20,000 samples (RSA cases take fewer: each key costs milliseconds).
    samples: rsa ? 2_000 : 2_000 + Math.round((18_000 * ((i * 7) % CASES)) / (CASES - 1)),
    rsa,
  };
}

function buildRun(index: number): RunRecord {
  const random = seededRandom(1000 + index);
  const drift = 1 + 0.002 * index;
  const cases: CaseResult[] = [];
  for (let i = 0; i < CASES; i++) {
    const shape = caseShape(i);
    if (shape.rsa) {
      const candidates = Float64Array.from({ length: shape.samples }, () => 40 + Math.floor(random() * 700));
      const ns = Float64Array.from(candidates, (c) => Math.round((c / 400) * shape.typical * drift * (0.97 + 0.06 * random())));
      cases.push(completedCase(shape.key, ns, { parameters: { threads: 1 }, candidates, cycles: true, counters: countersWithGaps }));
    } else {
      cases.push(
        completedCase(shape.key, skewedTimings(random, shape.samples, shape.typical * drift), { parameters: { threads: 1 }, cycles: true, counters: countersWithGaps }),
      );
    }
  }
  const startedAt = new Date(Date.UTC(2025, 0, 1) + index * 86_400_000).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    startedAt,
    endedAt: new Date(Date.parse(startedAt) + 600_000).toISOString(),
    label: 'nightly',
    status: 'complete',
    git: { commit: (index.toString(16).padStart(8, '0') + 'c0ffee'.repeat(6)).slice(0, 40), branch: 'main', dirty: false },
    testbed: derivedTestbed(environment),
    environment,
    cases,
  };
}

async function comparisonOf(baseline: RunRecord, candidate: RunRecord): Promise<{ comparison: RunComparison; source: string }> {
  try {
    const { compareRuns } = await import('../src/compare/compare-runs.js');
    return {
      comparison: compareRuns({ run: baseline, reference: reference(baseline) }, { run: candidate, reference: reference(candidate) }),
      source: 'compareRuns',
    };
  } catch (error) {
    return { comparison: handComparison(baseline, candidate), source: `built by hand (compareRuns unavailable: ${(error as Error).message.split('\n')[0]})` };
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const buildStart = performance.now();
  const history = Array.from({ length: RUNS }, (_, i) => buildRun(i));
  const samples = history.reduce((sum, run) => sum + run.cases.reduce((s, c) => s + (c.state === 'completed' ? c.samples.ns.length : 0), 0), 0);
  const baseline = history[RUNS - 2]!;
  const candidate = history[RUNS - 1]!;
  const { comparison, source } = await comparisonOf(baseline, candidate);
  console.log(
    `report benchmark: ${RUNS} runs × ${CASES} cases, ${samples.toLocaleString('en')} samples in all (built in ${((performance.now() - buildStart) / 1000).toFixed(1)} s); comparison ${source}`,
  );

  const input = { runs: [baseline, candidate], comparison, history, generatedAt: new Date().toISOString() };
  const times: number[] = [];
  let result: GeneratedReport | undefined;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    result = generateReport(input);
    times.push(performance.now() - start);
  }
  if (!result) throw new Error('no report generated');
  const first = times[0]!;
  const model = Buffer.byteLength(JSON.stringify(result.model));
  const bytes = result.bytes;
  const timeMet = first < 2000 && median(times) < 2000;
  console.log(`generateReport     first ${first.toFixed(1).padStart(7)} ms   median ${median(times).toFixed(1).padStart(7)} ms   (target < 2000 ms: ${timeMet ? 'met' : 'MISSED'})`);
  console.log(`report size        ${(bytes / 1024).toFixed(1)} KiB (${bytes.toLocaleString('en')} bytes; view model ${(model / 1024).toFixed(1)} KiB)   (target < 3 MB: ${bytes < 3_000_000 ? 'met' : 'MISSED'})`);
  if (writeFlag >= 0) {
    const path = await writeReportFile(process.argv[writeFlag + 1] ?? 'test-artifacts/report-bench.html', result.html);
    console.log(`written to ${path}`);
  }
  if (!timeMet || bytes >= 3_000_000) process.exitCode = 1;
}

await main();
