/**
 * "imprecise-bench-case": a completed case of a stored bench run whose median is too loosely pinned for
 * `keyscope compare` to gate on it.
 *
 * Precision is what the bench records (src/stats/median-precision.ts relativePrecision): the relative
 * half-width of the median's 99% distribution-free interval. compare (src/compare) decides "unchanged" only
 * when the whole ratio interval lies inside 1 ± threshold (5% by default), and "regressed" only when the
 * interval excludes 1 with the estimate at or past the threshold. The ratio of two independent runs carries
 * both runs' uncertainty, which add in quadrature (log scale): two runs of equal precision p give a ratio
 * interval of about ±p·√2. So a case resolves a threshold-sized change only when p <= threshold / √2
 * (3.54% at the default 5%); past that, an unchanged case comes out "inconclusive" even against itself.
 * RSA cases are also compared per prime candidate (compare-runs.ts), so the better of the two precisions
 * counts for them.
 */
import { type CompletedCase, formatPrecision, type RunRecord } from '../../model/index.js';
import { caseLabels, defaultComparisonSettings } from '../../compare/index.js';
import type { CoveredSubject, Recommendation } from './types.js';

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

/** "is measured to ±4.51%", or, with no interval at all, what is missing. */
function measuredTo(precision: number): string {
  return Number.isFinite(precision) ? `is measured to ${formatPrecision(precision)}` : 'has too few samples for any interval';
}

interface ImpreciseCase {
  case: CompletedCase;
  /** The case's name as compare prints it: unique in the run (algorithm, and thread count where needed). */
  name: string;
  precision: number;
  samplesNeeded: number | null;
}

function coveredCase({ case: c, name, precision, samplesNeeded }: ImpreciseCase): CoveredSubject {
  return {
    subject: name,
    values: {
      suite: c.key.suite,
      case: c.key.case,
      implementation: c.key.implementation,
      algorithm: c.key.algorithm,
      precision: precisionValue(precision),
      ...(c.summary.nsPerCandidate === null ? {} : { perCandidatePrecision: precisionValue(summaryPrecision(c.summary.nsPerCandidate)), perKeyPrecision: precisionValue(c.precision.reached) }),
      samples: c.samples.ns.length,
      ...(samplesNeeded === null ? {} : { samplesNeeded }),
      stoppedBy: c.precision.stoppedBy,
    },
  };
}

/**
 * The run's cases too imprecise to gate, as ONE finding: they share their cause (the run's budget and noise)
 * and their fix, so one item lists them all, worst first, each with the samples it would need.
 */
export function impreciseBenchCases(run: RunRecord): Recommendation[] {
  const imprecise: ImpreciseCase[] = [];
  const names = caseLabels(run.cases);
  for (const [index, c] of run.cases.entries()) {
    if (c.state !== 'completed') continue;
    const precision = Math.min(c.precision.reached, summaryPrecision(c.summary.nsPerCandidate));
    if (precision <= gatePrecisionLimit) continue;
    // Precision narrows as 1/sqrt(n): the samples that would bring it under the limit at this spread.
    const samplesNeeded = Number.isFinite(precision) ? Math.ceil(c.samples.ns.length * (precision / gatePrecisionLimit) ** 2) : null;
    imprecise.push({ case: c, name: names[index]!, precision, samplesNeeded });
  }
  if (imprecise.length === 0) return [];
  imprecise.sort((a, b) => b.precision - a.precision || a.name.localeCompare(b.name));
  const worst = imprecise[0]!;
  const gate = `compare's ${formatPrecision(defaultComparisonSettings.threshold)} gate needs ${formatPrecision(gatePrecisionLimit)} or better`;
  const byTarget = imprecise.some((i) => i.case.precision.stoppedBy === 'precision');
  const byBudget = imprecise.some((i) => i.case.precision.stoppedBy !== 'precision');
  const hints = [
    ...(byBudget ? ['give the cases that ran out of budget more time (maxTimeMs) or samples (minSamples), about the samples listed for each'] : []),
    ...(byTarget ? ['lower the precision target of those that stopped at it'] : []),
  ];
  return [
    {
      id: `imprecise-bench-case:${run.id}`,
      kind: 'imprecise-bench-case',
      severity: 'low',
      impact: { value: imprecise.length, unit: 'bench cases' },
      title:
        imprecise.length === 1
          ? `${worst.name} ${measuredTo(worst.precision)}; ${gate}`
          : `${imprecise.length} bench cases are measured too loosely to gate on (the worst, ${worst.name}, ${measuredTo(worst.precision)}); ${gate}`,
      action: `In their suite, ${hints.join('; ')}, and run the bench pinned to an idle CPU (--cpu N) so that noise from other work does not widen them.`,
      covers: imprecise.map(coveredCase),
      evidence: {
        source: 'bench',
        values: {
          runId: run.id,
          runStartedAt: run.startedAt,
          cases: imprecise.length,
          worstPrecision: precisionValue(worst.precision),
          gateThreshold: defaultComparisonSettings.threshold,
          gateConfidence: defaultComparisonSettings.confidence,
          precisionLimit: gatePrecisionLimit,
        },
      },
    },
  ];
}
