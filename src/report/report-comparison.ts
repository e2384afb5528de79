/**
 * The comparison as the report shows it: every non-finite bound as null, and each row tied to the report case
 * it is about.
 */
import type { CaseKey, CaseParameters, CaseResult } from '../model/index.js';
import { type CaseComparison, caseIdentity, caseMeasures, environmentLines, type RatioInterval, type RunComparison, type SampleComparison, type SearchExplanation, verdictDetail } from '../compare/index.js';
import type { ReportCaseComparison, ReportComparison, ReportRatio, ReportSampleComparison, ReportSearchExplanation } from './report-types.js';

export { caseIdentity };

export function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function ratio(r: RatioInterval): ReportRatio {
  return { estimate: finite(r.estimate), low: finite(r.low), high: finite(r.high), confidence: r.confidence };
}

function sampleComparison(s: SampleComparison): ReportSampleComparison {
  return {
    method: s.method,
    ratio: ratio(s.ratio),
    test: { name: s.test.name, statistic: finite(s.test.statistic), z: finite(s.test.z), pValue: finite(s.test.pValue) },
    tails: { p90: s.tails.p90 ? ratio(s.tails.p90) : null, p99: s.tails.p99 ? ratio(s.tails.p99) : null },
    verdict: s.verdict,
    samplesToResolve: s.samplesToResolve === null ? null : finite(s.samplesToResolve),
    baselineCount: s.baselineCount,
    candidateCount: s.candidateCount,
  };
}

/** A comparison row for the report; `label` is its unique name among the rows (caseLabels). */
export function caseComparison(c: CaseComparison, caseId: string | null, label: string): ReportCaseComparison {
  if (c.state === 'unmatched') return { state: 'unmatched', key: c.key, caseId, reason: c.reason, label };
  const side = (s: typeof c.baseline) => ({
    median: finite(s.median),
    count: s.count,
    medianPerCandidate: s.medianPerCandidate === null ? null : finite(s.medianPerCandidate),
  });
  return {
    state: 'compared',
    key: c.key,
    caseId,
    baseline: side(c.baseline),
    candidate: side(c.candidate),
    time: sampleComparison(c.time),
    perCandidate: c.perCandidate ? sampleComparison(c.perCandidate) : null,
    verdict: c.verdict,
    decidedBy: c.decidedBy,
    notes: [...c.notes],
    label,
    measures: caseMeasures(c).map((m) => ({ name: m.name, decisive: m.decisive, ...m.cells })),
    detail: verdictDetail(c),
    search: c.search ? searchExplanation(c.search) : null,
  };
}

function searchExplanation(s: SearchExplanation): ReportSearchExplanation {
  return {
    perKey: ratio(s.perKey),
    candidatesPerKey: ratio(s.candidatesPerKey),
    perCandidate: ratio(s.perCandidate),
    keys: s.keys,
    searchChanged: s.searchChanged,
    cause: s.cause,
    reading: s.reading,
  };
}

/** The runtimes a comparison across runtimes compared, with compare's line for them; null for any other comparison. */
export function runtimesOf(comparison: RunComparison): ReportComparison['runtimes'] {
  const { runtimes } = environmentLines(comparison);
  return comparison.runtimes && runtimes ? { ...comparison.runtimes, line: runtimes } : null;
}

export interface CaseEntry {
  key: CaseKey;
  parameters: CaseParameters;
  perRun: (CaseResult | undefined)[];
  /** Index of the comparison's row for this case. */
  comparison?: number;
}

/** The report case of each comparison row, found by the case's identity; a row whose case no reported run holds gets an entry of its own. */
export function linkComparison(byIdentity: Map<string, CaseEntry>, comparison: RunComparison | null, runCount: number): CaseEntry[] {
  if (!comparison) return [];
  return comparison.cases.map((row, index) => {
    const identity = caseIdentity(row);
    let entry = byIdentity.get(identity);
    if (!entry) {
      entry = { key: row.key, parameters: row.parameters, perRun: new Array<undefined>(runCount).fill(undefined) };
      byIdentity.set(identity, entry);
    }
    entry.comparison = index;
    return entry;
  });
}
