/** The words and numbers of a comparison as people read them, shared by the text and markdown formats. */
import { formatNs, tooFewSamples } from '../../model/index.js';
import type { CaseComparison, HistoryJudgement, JudgedAgainst, RunComparison, RunReference, SampleComparison } from '../types.js';

export function formatChange(ratio: number | null, digits?: number): string {
  if (ratio === null || !Number.isFinite(ratio)) return '?';
  const percent = (ratio - 1) * 100;
  const places = digits ?? (Math.abs(ratio - 1) < 0.1 ? 1 : 0);
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(places)}%`;
}

/** A ratio and its interval, as the comparison (non-finite as is) or the report model (non-finite as null) hold it. */
export interface RatioLike {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

/** What a comparison of one measure says, in the shape both SampleComparison and the report model's copy have. */
export interface SampleFigures {
  method: SampleComparison['method'];
  ratio: RatioLike;
  tails: { p90: RatioLike | null; p99: RatioLike | null };
  samplesToResolve: number | null;
  /** Method history: what the history taught (see HistoryJudgement). */
  history: HistoryJudgement | null;
  baselineCount: number;
  candidateCount: number;
}

function bounded(interval: RatioLike): interval is { estimate: number | null; low: number; high: number } {
  return interval.low !== null && interval.high !== null && Number.isFinite(interval.low) && Number.isFinite(interval.high) && interval.low > 0;
}

/**
 * The interval of a change: its bounds, or, when the samples are too few to bound it at the confidence asked,
 * how many more a side would settle the verdict. Never a made-up bound such as -100% or ?.
 */
export function formatInterval(interval: RatioLike | null, figures?: Pick<SampleFigures, 'samplesToResolve' | 'baselineCount' | 'candidateCount'>): string {
  if (interval && bounded(interval)) return `${formatChange(interval.low, 1)} .. ${formatChange(interval.high, 1)}`;
  if (figures?.samplesToResolve !== null && figures?.samplesToResolve !== undefined) {
    return tooFewSamples(Math.max(1, Math.ceil(figures.samplesToResolve - Math.min(figures.baselineCount, figures.candidateCount))));
  }
  return 'too few samples';
}

/** What the estimate a verdict rests on measures. */
export function estimateName(method: SampleFigures['method']): string {
  if (method === 'history') return 'ratio to the typical median of the baseline branch\'s past runs (history)';
  if (method === 'blocks') return 'ratio of typical block times on each side\'s faster CPU (blocks)';
  if (method === 'interleaved') return 'typical ratio of block times measured back to back (interleaved pairs)';
  if (method === 'seeded-blocks') return 'typical ratio of blocks that timed the same seeded keys (seeded pairs of blocks)';
  return method === 'paired' ? 'median of per-key ratios (seeded, paired)' : 'typical ratio over all pairs of samples (Hodges-Lehmann)';
}

/** The cells of one measure of a compared case: the medians it comes from, the estimate the verdict rests on and its interval. */
export interface ComparisonCells {
  baseline: string;
  candidate: string;
  /** candidate median / baseline median. */
  medians: string;
  /** The estimate the verdict rests on. */
  estimate: string;
  interval: string;
  p99: string;
}

export function comparisonCells(figures: SampleFigures, baselineMedian: number | null, candidateMedian: number | null): ComparisonCells {
  const mediansRatio = baselineMedian !== null && candidateMedian !== null && baselineMedian > 0 ? candidateMedian / baselineMedian : null;
  const { p90, p99 } = figures.tails;
  return {
    baseline: baselineMedian === null ? '-' : formatNs(baselineMedian),
    candidate: candidateMedian === null ? '-' : formatNs(candidateMedian),
    medians: formatChange(mediansRatio),
    estimate: formatChange(figures.ratio.estimate),
    interval: formatInterval(figures.ratio, figures),
    p99: p99 ? formatChange(p99.estimate) : p90 ? `p90 ${formatChange(p90.estimate)}` : '-',
  };
}

export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(4))}%`;
}

function parameterText(name: string, value: unknown): string {
  return name === 'threads' ? `${String(value)} ${value === 1 ? 'thread' : 'threads'}` : `${name}=${String(value)}`;
}

/** `suite/case implementation algorithm`, with the parameters given (e.g. `default/throughput, 4 threads …`). */
function labelWith(comparison: Pick<CaseComparison, 'key' | 'parameters'>, parameters: readonly string[]): string {
  const { suite, case: name, implementation, algorithm } = comparison.key;
  const shown = parameters.map((p) => parameterText(p, comparison.parameters[p]));
  return `${[`${suite}/${name}`, ...shown].join(', ')} ${implementation}${algorithm ? ` ${algorithm}` : ''}`;
}

/**
 * A name for every row of a comparison, each one unique: cases that share suite, case, implementation and
 * algorithm (the thread-scaling cases) are told apart by the parameters that differ between them, the thread
 * count first; a seed never names a case (compareRuns matches cases without it).
 */
export function caseLabels(cases: readonly Pick<CaseComparison, 'key' | 'parameters'>[]): string[] {
  const groups = new Map<string, Pick<CaseComparison, 'key' | 'parameters'>[]>();
  for (const c of cases) {
    const base = labelWith(c, []);
    groups.set(base, [...(groups.get(base) ?? []), c]);
  }
  return cases.map((c) => {
    const group = groups.get(labelWith(c, []))!;
    if (group.length === 1) return labelWith(c, []);
    const names = [...new Set(group.flatMap((g) => Object.keys(g.parameters)))].filter((n) => n !== 'seed');
    const differing = names.filter((n) => new Set(group.map((g) => JSON.stringify(g.parameters[n]))).size > 1);
    differing.sort((x, y) => (x === 'threads' ? -1 : y === 'threads' ? 1 : x.localeCompare(y)));
    return labelWith(c, differing);
  });
}

/** One case's name within its comparison (see caseLabels). */
export function caseLabel(comparison: RunComparison, c: CaseComparison): string {
  return caseLabels(comparison.cases)[comparison.cases.indexOf(c)] ?? labelWith(c, []);
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

type Compared = Extract<CaseComparison, { state: 'compared' }>;

/** One measure of a compared case (time per key; RSA also time per prime candidate) with the figures it comes from. */
export interface CaseMeasure {
  name: 'time per key' | 'time per prime candidate';
  figures: SampleFigures;
  cells: ComparisonCells;
  /** The verdict rests on this measure (for RSA decided by both, on both). */
  decisive: boolean;
}

/** A compared case's measures, the one its verdict rests on first. */
export function caseMeasures(c: Compared): CaseMeasure[] {
  const time: CaseMeasure = {
    name: 'time per key',
    figures: c.time,
    cells: comparisonCells(c.time, c.baseline.median, c.candidate.median),
    decisive: c.decidedBy !== 'per-candidate',
  };
  if (!c.perCandidate) return [time];
  const perCandidate: CaseMeasure = {
    name: 'time per prime candidate',
    figures: c.perCandidate,
    cells: comparisonCells(c.perCandidate, c.baseline.medianPerCandidate, c.candidate.medianPerCandidate),
    decisive: c.decidedBy !== 'time',
  };
  return c.decidedBy === 'per-candidate' ? [perCandidate, time] : [time, perCandidate];
}

/** What to say after the verdict: which measure decided it, and what would resolve an inconclusive one. */
/** What a comparison judged against, and its own threshold: the words a verdict's detail needs. */
export interface JudgedContext {
  against: JudgedAgainst;
  threshold: number;
}

export function verdictDetail(comparison: Compared, strict = false, judged?: JudgedContext): string {
  const details: string[] = [];
  if (judged?.against.kind === 'history') {
    const { branch, testbed } = judged.against;
    // The measure the verdict rests on taught the threshold that applied (RSA: the first of two, if both).
    const taught = caseMeasures(comparison).find((m) => m.decisive)?.figures.history ?? comparison.time.history;
    if (taught) {
      const source = taught.thresholdSource === 'history' ? 'learned' : `--threshold; the history taught ${formatPercent(taught.learnedThreshold)}`;
      details.push(`history: ${taught.runs} runs of ${branch} on testbed ${testbed}, threshold ${formatPercent(taught.threshold)} (${source})`);
    } else details.push(`against ${branch}'s newest run alone, threshold ${formatPercent(judged.threshold)} (--threshold)`);
  }
  if (comparison.unstable) details.push(strict ? 'unstable, gating (strict)' : 'unstable: noisier than the threshold, not gating');
  if (comparison.perCandidate) details.push(comparison.decidedBy === 'both' ? 'on both measures' : comparison.decidedBy === 'time' ? 'on time per key' : 'on time per prime candidate');
  if (comparison.verdict === 'inconclusive') {
    // Where an interval could not be bounded its cell already says how many samples are missing.
    const bounded = caseMeasures(comparison).filter((m) => !m.cells.interval.startsWith('too few samples'));
    const needed = bounded.map((m) => m.figures.samplesToResolve).filter((n): n is number => n !== null);
    const unit = comparison.time.method === 'blocks' ? 'blocks' : comparison.time.method === 'interleaved' || comparison.time.method === 'seeded-blocks' ? 'pairs' : 'samples';
    if (needed.length > 0 && bounded.length === caseMeasures(comparison).length) details.push(`~${Math.min(...needed).toLocaleString('en-US')} ${unit} a side would resolve it`);
  }
  const blocks = comparison.time.blocks;
  if (blocks && comparison.time.method === 'interleaved') {
    details.push(`${blocks.baseline.used} pairs of blocks back to back, spread of their differences ${(100 * Math.expm1(blocks.spread)).toFixed(2)}%`);
  } else if (blocks && comparison.time.method === 'seeded-blocks') {
    details.push(`${blocks.baseline.used} pairs of blocks of the same seeded keys, spread of their differences ${(100 * Math.expm1(blocks.spread)).toFixed(2)}%`);
  } else if (blocks) {
    const cpu = (side: { cpu: number | null | 'all' }) => (side.cpu === null ? 'unpinned' : side.cpu === 'all' ? 'all CPUs' : `CPU ${side.cpu}`);
    const where = cpu(blocks.baseline) === cpu(blocks.candidate) ? cpu(blocks.baseline) : `${cpu(blocks.baseline)} vs ${cpu(blocks.candidate)}`;
    details.push(`blocks on ${where}: ${blocks.baseline.used} of ${blocks.baseline.blocks} vs ${blocks.candidate.used} of ${blocks.candidate.blocks}, spread ${formatPercent(Math.expm1(blocks.spread))}`);
  }
  if (comparison.time.method === 'paired') details.push(`paired by seed, ${Math.min(comparison.time.baselineCount, comparison.time.candidateCount)} keys`);
  return details.join('; ');
}

/** The legend under a comparison's settings: what the columns measure. */
export const comparisonLegend =
  'estimate: the change the verdict rests on, with its interval: against a history, the ratio to the typical median of the branch\'s past runs, its interval where a run of unchanged code would fall; for runs measured in blocks, the ratio of typical block times on each side\'s faster CPU, its interval from the spread between blocks (the noise between runs); for an interleaved session, the typical ratio of the pairs of blocks measured back to back, its interval from their spread; for seeded runs, the same over pairs of blocks that timed the same keys, each pair\'s ratio the median of its per-key ratios; for older runs the typical ratio over all pairs of samples (Hodges-Lehmann), or for seeded runs of one block the median of per-key ratios. It can differ from the change of the medians.';

/** What the comparison judged against and which threshold applied, in one line under the settings. */
export function judgedAgainstLine(comparison: RunComparison): string {
  const { against, settings } = comparison;
  if (against.kind === 'run') return `judged against one run (baseline below) at threshold ${formatPercent(settings.threshold)} (--threshold)`;
  if (against.kind === 'interleaved') {
    return `judged in one interleaved session: each case's blocks of the two builds measured in pairs, back to back on one CPU (order seed ${against.seed}; ${against.forks} ${against.forks === 1 ? 'process' : 'processes'} a build, taking the rounds in turn), at threshold ${formatPercent(settings.threshold)} (--threshold)`;
  }
  const day = (iso: string) => iso.slice(0, 10);
  const commits = against.oldest.commit && against.newest.commit ? `, commits ${against.oldest.commit.slice(0, 10)}..${against.newest.commit.slice(0, 10)}` : '';
  return (
    `judged against the history of ${against.branch} on testbed ${against.testbed}: ${against.runs} past runs (at most ${against.lookback}), ${day(against.oldest.startedAt)} to ${day(against.newest.startedAt)}${commits}; ` +
    `each case's threshold is the change its history says a run of unchanged code stays within, or ${formatPercent(settings.threshold)} (--threshold) where that is larger`
  );
}

export function summaryLine(comparison: RunComparison): string {
  const { counts } = comparison;
  const parts = [`${counts.regressed} regressed`, `${counts.improved} improved`, `${counts.unchanged} unchanged`, `${counts.inconclusive} inconclusive`];
  if (counts.unstable > 0) parts.push(`${counts.unstable} unstable (not gating)`);
  if (counts.unmatched > 0) parts.push(`${counts.unmatched} unmatched`);
  return parts.join(', ');
}
