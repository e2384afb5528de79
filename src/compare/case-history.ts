/**
 * A case's history: its location (run-location.ts) in each past run of a branch on a testbed, oldest first,
 * with what the series says on its own (its typical location, the spread from run to run, and the change a new run of unchanged code
 * stays within: the threshold compare --baseline-branch would learn from it).
 */
import { type CaseKey, type CaseParameters, caseIdentity, type RunOverview } from '../model/index.js';
import { caseLabels } from './format/index.js';
import { overviewLocation } from './run-location.js';
import { historyLimit, minimumHistory } from './statistics/index.js';

export interface HistoryPoint {
  runId: string;
  startedAt: string;
  commit: string | null;
  /** The run's location (run-location.ts): the typical block time compare judges by, ns. */
  location: number;
  /** Median wall time per operation over the run, ns, with its distribution-free interval (null bounds: too few samples). */
  median: number;
  low: number | null;
  high: number | null;
  /** RSA: the run's location in ns per prime candidate; null elsewhere. */
  locationPerCandidate: number | null;
}

export interface CaseHistory {
  key: CaseKey;
  parameters: CaseParameters;
  /** The case's name as compare prints it. */
  label: string;
  /** One point per run that completed the case, oldest first. */
  points: HistoryPoint[];
  /** With at least minimumHistory points: what they teach (fractions; spread is the SD of log locations). */
  limit: { typical: number; spread: number; threshold: number; confidence: number } | null;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** `runs`: newest first, as the store lists them. Cases appear in the order the newest run has them. */
export function caseHistories(runs: readonly RunOverview[], confidence: number): CaseHistory[] {
  const series = new Map<string, { key: CaseKey; parameters: CaseParameters; points: HistoryPoint[] }>();
  for (const run of [...runs].reverse()) {
    for (const c of run.cases) {
      if (c.summary === null) continue;
      const identity = caseIdentity(c);
      const entry = series.get(identity) ?? { key: c.key, parameters: c.parameters, points: [] };
      series.set(identity, entry);
      const located = overviewLocation(c);
      if (located === null) continue;
      const { ns } = c.summary;
      entry.points.push({
        runId: run.id,
        startedAt: run.startedAt,
        commit: run.git?.commit ?? null,
        location: located.time,
        median: ns.median,
        low: finiteOrNull(ns.medianInterval.low),
        high: finiteOrNull(ns.medianInterval.high),
        locationPerCandidate: located.perCandidate,
      });
    }
  }
  // Newest run's cases first, in its order; cases it lacks after them, as first seen.
  const newestOrder = new Map((runs[0]?.cases ?? []).map((c, i) => [caseIdentity(c), i]));
  const entries = [...series].sort(([a], [b]) => (newestOrder.get(a) ?? Infinity) - (newestOrder.get(b) ?? Infinity)).map(([, entry]) => entry);
  const labels = caseLabels(entries);
  return entries.map((entry, index) => {
    const locations = entry.points.map((p) => p.location);
    let limit: CaseHistory['limit'] = null;
    if (locations.length >= minimumHistory) {
      const taught = historyLimit(locations, confidence);
      limit = { typical: Math.exp(taught.mean), spread: taught.deviation, threshold: Math.expm1(taught.halfWidth), confidence };
    }
    return { ...entry, label: labels[index]!, limit };
  });
}
