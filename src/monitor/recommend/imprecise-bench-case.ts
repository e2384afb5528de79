/**
 * "imprecise-bench-case": a completed case of a stored bench run whose median is too loosely pinned for
 * `keyscope compare` to gate on it.
 *
 * Precision is what the bench records (src/stats/median-interval.ts relativePrecision): the relative
 * half-width of the median's 99% distribution-free interval. compare (src/compare) decides "unchanged" only
 * when the whole ratio interval lies inside 1 ± threshold (5% by default), and "regressed" only when the
 * interval excludes 1 with the estimate at or past the threshold. The ratio of two independent runs carries
 * both runs' uncertainty, which add in quadrature (log scale): two runs of equal precision p give a ratio
 * interval of about ±p·√2. So a case resolves a threshold-sized change only when p <= threshold / √2
 * (3.54% at the default 5%); past that, an unchanged case comes out "inconclusive" even against itself.
 * RSA cases are also compared per prime candidate (compare-runs.ts), so the better of the two precisions
 * counts for them.
 */
import type { CompletedCase, RunRecord } from '../../bench/types.js';
import { formatPrecision } from '../../bench/format.js';
import { defaultComparisonSettings } from '../../compare/compare-runs.js';
import type { Recommendation } from './types.js';

/** The widest precision a case can have and still let the default compare gate resolve its threshold. */
export const gatePrecisionLimit = defaultComparisonSettings.threshold / Math.SQRT2;

/** Relative half-width of a summary's median interval (relativePrecision's definition), Infinity when unknown. */
function summaryPrecision(summary: CompletedCase['summary']['ns'] | null): number {
  if (summary === null) return Number.POSITIVE_INFINITY;
  const { low, high } = summary.medianInterval;
  if (!Number.isFinite(low) || !Number.isFinite(high) || summary.median === 0) return Number.POSITIVE_INFINITY;
  return (high - low) / 2 / Math.abs(summary.median);
}

/** Finite numbers as they are; an unknown precision (too few samples for any interval) as text, since JSON has no Infinity. */
function precisionValue(precision: number): number | string {
  return Number.isFinite(precision) ? precision : 'unbounded';
}

function caseName(c: CompletedCase): string {
  return `${c.key.suite}/${c.key.case} (${c.key.implementation})`;
}

export function impreciseBenchCases(run: RunRecord): Recommendation[] {
  const recommendations: Recommendation[] = [];
  for (const c of run.cases) {
    if (c.state !== 'completed') continue;
    const perCandidate = summaryPrecision(c.summary.nsPerCandidate);
    const precision = Math.min(c.precision.reached, perCandidate);
    if (precision <= gatePrecisionLimit) continue;
    const samples = c.samples.ns.length;
    // Precision narrows as 1/sqrt(n): the samples that would bring it under the limit at this spread.
    const samplesNeeded = Number.isFinite(precision) ? Math.ceil(samples * (precision / gatePrecisionLimit) ** 2) : null;
    const budgetHint = c.precision.stoppedBy === 'precision' ? 'lower its precision target' : 'give it more time (maxTimeMs) or samples (minSamples)';
    recommendations.push({
      id: `imprecise-bench-case:${c.key.suite}/${c.key.case}/${c.key.implementation}`,
      kind: 'imprecise-bench-case',
      title: `${caseName(c)} is measured to ${formatPrecision(precision)}; compare's ${formatPrecision(defaultComparisonSettings.threshold)} gate needs ${formatPrecision(gatePrecisionLimit)} or better`,
      action:
        `In its suite, ${budgetHint}${samplesNeeded === null ? '' : ` (about ${samplesNeeded} samples at this spread)`}, ` +
        'and run the bench pinned to an idle CPU (--cpu N) so that noise from other work does not widen it.',
      evidence: {
        source: 'bench',
        values: {
          runId: run.id,
          runStartedAt: run.startedAt,
          suite: c.key.suite,
          case: c.key.case,
          implementation: c.key.implementation,
          precision: precisionValue(precision),
          ...(c.summary.nsPerCandidate === null ? {} : { perCandidatePrecision: precisionValue(perCandidate), perKeyPrecision: precisionValue(c.precision.reached) }),
          gateThreshold: defaultComparisonSettings.threshold,
          gateConfidence: defaultComparisonSettings.confidence,
          precisionLimit: gatePrecisionLimit,
          samples,
          ...(samplesNeeded === null ? {} : { samplesNeeded }),
          stoppedBy: c.precision.stoppedBy,
        },
      },
    });
  }
  return recommendations;
}
