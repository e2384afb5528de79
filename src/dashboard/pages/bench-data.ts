/**
 * The Performance page's benchmark half: the stored bench runs of the range and the newest run compared with
 * the one before it (keyscope compare's engine and verdicts). The store is read through run-store-reader.ts
 * (one access at a time, cached while the file is unchanged); no store file is simply no bench data.
 */
import type { CaseKey, CaseParameters, RunRecord } from '../../model/index.js';
import { type CaseComparison, compareRuns, referenceOf, type SampleComparison } from '../../compare/index.js';
import type { ComparedCase, PerformanceData } from '../http/api-types.js';
import type { RunStoreReader } from '../sources/run-store-reader.js';

const maxRuns = 50;

/**
 * A case as the page names it: suite/case, algorithm, implementation and its parameters but the seed (the two
 * thread counts of a throughput case are two cases), so that no two rows or history series share a name.
 */
function caseName(key: CaseKey, parameters: CaseParameters): string {
  const settings = Object.keys(parameters)
    .filter((name) => name !== 'seed')
    .sort()
    .map((name) => `${name} ${String(parameters[name])}`);
  return [`${key.suite}/${key.case}`, key.algorithm, key.implementation === '' ? '' : `[${key.implementation}]`, ...settings].filter((part) => part !== '').join(' ');
}

function summarize(run: RunRecord): PerformanceData['benchRuns'][number] {
  const suites = [...new Set(run.cases.map((result) => result.key.suite))].sort();
  const medians: { case: string; medianNs: number }[] = [];
  for (const result of run.cases) {
    if (result.state === 'completed') medians.push({ case: caseName(result.key, result.parameters), medianNs: result.summary.ns.median });
  }
  return { id: run.id, startedAt: run.startedAt, suite: suites.join(', '), cases: run.cases.length, gitCommit: run.git?.commit ?? null, medians };
}

/**
 * The ratio a case's verdict rests on (per candidate when that alone decided it, else per key) and its interval;
 * an interval the samples cannot bound ([0, Infinity] from compareSamples) is said as such, with how many more
 * samples a side would bound and settle it.
 */
function comparedCase(name: string, entry: Extract<CaseComparison, { state: 'compared' }>): ComparedCase {
  const perCandidate = entry.decidedBy === 'per-candidate' && entry.perCandidate !== null;
  const measured: SampleComparison = perCandidate ? entry.perCandidate! : entry.time;
  const { estimate, low, high, confidence } = measured.ratio;
  const bounded = Number.isFinite(high) && low > 0;
  const count = Math.min(measured.baselineCount, measured.candidateCount);
  return {
    case: name,
    verdict: entry.verdict,
    measure: perCandidate ? 'per candidate' : 'per key',
    ratio: estimate,
    confidence,
    interval: bounded
      ? { low, high }
      : { low: null, high: null, moreSamplesNeeded: measured.samplesToResolve === null ? null : Math.max(1, measured.samplesToResolve - count) },
  };
}

function comparison(newer: RunRecord, older: RunRecord): NonNullable<PerformanceData['comparison']> {
  const result = compareRuns({ run: older, reference: referenceOf({ run: older, source: 'store' }) }, { run: newer, reference: referenceOf({ run: newer, source: 'store' }) });
  const cases: ComparedCase[] = [];
  for (const entry of result.cases) {
    if (entry.state !== 'compared') continue;
    cases.push(comparedCase(caseName(entry.key, entry.parameters), entry));
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
