/**
 * The Performance page's benchmark half: the stored bench runs of the range and the newest run compared with
 * the one before it (keyscope compare's engine and verdicts). The store is read through run-store-reader.ts
 * (one access at a time, cached while the file is unchanged); no store file is simply no bench data.
 */
import type { RunRecord } from '../bench/types.js';
import { compareRuns } from '../compare/compare-runs.js';
import { referenceOf } from '../compare/resolve-runs.js';
import type { PerformanceData } from './api-types.js';
import type { RunStoreReader } from './run-store-reader.js';

const maxRuns = 50;

function caseName(run: RunRecord, index: number): string {
  const key = run.cases[index]!.key;
  return key.implementation === '' ? `${key.suite}/${key.case}` : `${key.suite}/${key.case} [${key.implementation}]`;
}

function summarize(run: RunRecord): PerformanceData['benchRuns'][number] {
  const suites = [...new Set(run.cases.map((result) => result.key.suite))].sort();
  const medians: { case: string; medianNs: number }[] = [];
  run.cases.forEach((result, index) => {
    if (result.state === 'completed') medians.push({ case: caseName(run, index), medianNs: result.summary.ns.median });
  });
  return { id: run.id, startedAt: run.startedAt, suite: suites.join(', '), cases: run.cases.length, gitCommit: run.git?.commit ?? null, medians };
}

function comparison(newer: RunRecord, older: RunRecord): NonNullable<PerformanceData['comparison']> {
  const result = compareRuns({ run: older, reference: referenceOf({ run: older, source: 'store' }) }, { run: newer, reference: referenceOf({ run: newer, source: 'store' }) });
  const cases: NonNullable<PerformanceData['comparison']>['cases'] = [];
  for (const entry of result.cases) {
    if (entry.state !== 'compared') continue;
    const name = entry.key.implementation === '' ? `${entry.key.suite}/${entry.key.case}` : `${entry.key.suite}/${entry.key.case} [${entry.key.implementation}]`;
    cases.push({ case: name, verdict: entry.verdict, ratio: entry.time.ratio.estimate, low: entry.time.ratio.low, high: entry.time.ratio.high });
  }
  return { baseline: older.id, candidate: newer.id, cases };
}

export async function benchData(
  reader: RunStoreReader,
  range: { since: Date; until: Date },
): Promise<Pick<PerformanceData, 'benchRuns' | 'comparison'>> {
  const read = await reader.read((listing) =>
    listing
      .filter((run) => {
        const started = Date.parse(run.startedAt);
        return started >= range.since.getTime() && started < range.until.getTime();
      })
      .slice(0, maxRuns)
      .map((run) => run.id),
  );
  if (read === null) return { benchRuns: [], comparison: null };
  const runs = read.runs;
  return { benchRuns: runs.map(summarize), comparison: runs.length >= 2 ? comparison(runs[0]!, runs[1]!) : null };
}
