/** The words and numbers of a comparison as people read them, shared by the text and markdown formats. */
import { formatNs } from '../../bench/format.js';
import type { CaseComparison, RatioInterval, RunComparison, RunReference, SampleComparison } from '../types.js';

export function formatChange(ratio: number, digits = Math.abs(ratio - 1) < 0.1 ? 1 : 0): string {
  if (!Number.isFinite(ratio)) return '?';
  const percent = (ratio - 1) * 100;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(digits)}%`;
}

export function formatInterval(interval: RatioInterval | null): string {
  if (!interval || !Number.isFinite(interval.low) || !Number.isFinite(interval.high) || interval.low <= 0) return 'too few samples';
  return `${formatChange(interval.low, 1)} .. ${formatChange(interval.high, 1)}`;
}

export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(4))}%`;
}

export function caseLabel(comparison: CaseComparison): string {
  const { suite, case: name, implementation, algorithm } = comparison.key;
  return `${suite}/${name} ${implementation}${algorithm ? ` ${algorithm}` : ''}`;
}

export function runLabel(reference: RunReference): string {
  const parts = [reference.id.slice(0, 8)];
  if (reference.label) parts.push(`label ${reference.label}`);
  if (reference.commit) parts.push(`${reference.branch ?? '(detached)'}@${reference.commit.slice(0, 10)}${reference.dirty ? ' (uncommitted changes)' : ''}`);
  parts.push(reference.startedAt);
  if (reference.status !== 'complete') parts.push(reference.status.toUpperCase());
  if (reference.source !== 'store') parts.push(`from ${reference.source}`);
  return parts.join('  ');
}

/** What to say after the verdict: which measure decided it, and what would resolve an inconclusive one. */
export function verdictDetail(comparison: Extract<CaseComparison, { state: 'compared' }>): string {
  const details: string[] = [];
  if (comparison.perCandidate) details.push(comparison.decidedBy === 'both' ? 'per key and per candidate' : comparison.decidedBy === 'time' ? 'per key' : 'per candidate');
  if (comparison.verdict === 'inconclusive') {
    const needed = [comparison.time.samplesToResolve, comparison.perCandidate?.samplesToResolve ?? null].filter((n): n is number => n !== null);
    if (needed.length > 0) details.push(`~${Math.min(...needed).toLocaleString('en-US')} samples a side would resolve it`);
  }
  if (comparison.time.method === 'paired') details.push(`paired by seed, ${Math.min(comparison.time.baselineCount, comparison.time.candidateCount)} keys`);
  return details.join('; ');
}

export function sampleRow(comparison: SampleComparison, baseline: number, candidate: number) {
  return {
    baseline: formatNs(baseline),
    candidate: formatNs(candidate),
    change: formatChange(comparison.ratio.estimate),
    interval: formatInterval(comparison.ratio),
    p99: comparison.tails.p99 ? formatChange(comparison.tails.p99.estimate) : comparison.tails.p90 ? `p90 ${formatChange(comparison.tails.p90.estimate)}` : '-',
    verdict: comparison.verdict,
  };
}

export function summaryLine(comparison: RunComparison): string {
  const { counts } = comparison;
  const parts = [`${counts.regressed} regressed`, `${counts.improved} improved`, `${counts.unchanged} unchanged`, `${counts.inconclusive} inconclusive`];
  if (counts.unmatched > 0) parts.push(`${counts.unmatched} unmatched`);
  return parts.join(', ');
}
