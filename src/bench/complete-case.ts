/** Turns a case's raw samples into its stored result: summaries and histograms. */
import type { Counters, TimerOverhead } from '../core/index.js';
import { encodeHistogram } from '../stats/index.js';
import { type CaseBlock, type CaseKey, type CaseParameters, type CompletedCase, summarize, summarizeSorted } from '../model/index.js';
import type { AdaptiveOutcome } from './adaptive.js';
import type { ResolvedCaseBudget } from './case-budget.js';

export function completeCase(
  key: CaseKey,
  parameters: CaseParameters,
  outcome: AdaptiveOutcome,
  blocks: CaseBlock[],
  budget: ResolvedCaseBudget,
  extra: { counters: Counters; timer: TimerOverhead; throughput?: number },
): CompletedCase {
  const { ns, cycles, candidates } = outcome;
  let nsPerCandidate = null;
  if (candidates) {
    const perCandidate = new Float64Array(ns.length);
    for (let i = 0; i < ns.length; i++) perCandidate[i] = ns[i]! / Math.max(1, candidates[i]!);
    nsPerCandidate = summarize(perCandidate, budget.confidence);
  }
  const nsSummary = summarizeSorted(outcome.sortedNs, budget.confidence);
  return {
    state: 'completed',
    key,
    parameters,
    samples: { ns, cycles, candidates },
    blocks,
    summary: { ns: nsSummary, cycles: cycles ? summarize(cycles, budget.confidence) : null, nsPerCandidate },
    histograms: { ns: encodeHistogram(ns), cycles: cycles ? encodeHistogram(cycles) : null },
    precision: { target: budget.precision, reached: outcome.precision, stoppedBy: outcome.stoppedBy },
    throughput: extra.throughput ?? 1e9 / nsSummary.mean,
    counters: extra.counters,
    timer: extra.timer,
  };
}
