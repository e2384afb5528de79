/**
 * The Performance page's benchmark half: the stored bench runs of the range and the newest run compared with
 * the one before it (keyscope compare's engine and verdicts). The run store is opened read-only for each
 * request and closed at once, so `keyscope bench` can write to it between requests; no store file, or a store
 * busy with a bench, is simply no bench data.
 */
import type { RunRecord } from '../bench/types.js';
import { compareRuns } from '../compare/compare-runs.js';
import { referenceOf } from '../compare/resolve-runs.js';
import { ErrorCodes, KeyscopeError } from '../errors.js';
import { openStore } from '../store/open-store.js';
import type { RunStore } from '../store/run-store.js';
import type { PerformanceData } from './api-types.js';

const maxRuns = 50;

/** Codes that mean "no bench data to show" rather than a failure. */
const noStoreCodes: ReadonlySet<string> = new Set([ErrorCodes.storeNotFound, ErrorCodes.storeBusy]);

/** The store opened read-only, or null when there is none to read (absent, busy). */
export async function openRunStoreIfAny(path: string): Promise<RunStore | null> {
  try {
    return await openStore(path, { readOnly: true });
  } catch (error) {
    if (error instanceof KeyscopeError && noStoreCodes.has(error.code)) return null;
    throw error;
  }
}

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
  storePath: string,
  range: { since: Date; until: Date },
): Promise<Pick<PerformanceData, 'benchRuns' | 'comparison'>> {
  const store = await openRunStoreIfAny(storePath);
  if (store === null) return { benchRuns: [], comparison: null };
  try {
    const listed = (await store.listRuns())
      .filter((run) => {
        const started = Date.parse(run.startedAt);
        return started >= range.since.getTime() && started < range.until.getTime();
      })
      .slice(0, maxRuns);
    const runs: RunRecord[] = [];
    for (const listing of listed) {
      const run = await store.getRun(listing.id, { cycles: false });
      if (run !== undefined) runs.push(run);
    }
    return { benchRuns: runs.map(summarize), comparison: runs.length >= 2 ? comparison(runs[0]!, runs[1]!) : null };
  } finally {
    await store.close();
  }
}
