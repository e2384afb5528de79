/**
 * An RSA case's search explanation in words a person reads in one go: how much the mean time per key moved, the
 * two factors it splits into exactly, and which of them did it. One wording everywhere (text, markdown, JSON, the
 * HTML report), built once when the comparison is made.
 */
import type { RatioInterval, RunComparison, SearchExplanation } from '../types.js';
import { minimumBlocksToResample } from '../statistics/index.js';
import { caseLabels } from './cells.js';

type Figures = Omit<SearchExplanation, 'reading'>;

/** Three decimals where two would hide which side of 1 a narrow interval lies on. */
function digitsFor(ratio: RatioInterval): number {
  return ratio.high - ratio.low < 0.02 ? 3 : 2;
}

function factor(value: number, digits: number): string {
  return `${value.toFixed(digits)}x`;
}

function bounds(ratio: RatioInterval, digits: number): string {
  return `${ratio.low.toFixed(digits)}..${ratio.high.toFixed(digits)}`;
}

function percent(fraction: number): string {
  const value = Math.abs(fraction) * 100;
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)}%`;
}

/** "14% slower per key (1.14x, 1.02..1.27)", "72% less time per key (0.28x, …)", "3.62 times the time per key (…)". */
function perKeyPhrase(ratio: RatioInterval): string {
  const digits = digitsFor(ratio);
  // "262% slower" is correct and hard to read: past twice the time, say how many times.
  if (ratio.estimate >= 2) return `${ratio.estimate.toFixed(digits)} times the time per key (${bounds(ratio, digits)})`;
  const change = ratio.estimate >= 1 ? `${percent(ratio.estimate - 1)} slower per key` : `${percent(1 - ratio.estimate)} less time per key`;
  return `${change} (${factor(ratio.estimate, digits)}, ${bounds(ratio, digits)})`;
}

const moved = (ratio: RatioInterval) => ratio.low > 1 || ratio.high < 1;

function candidatesPhrase(figures: Figures): string {
  const ratio = figures.candidatesPerKey;
  if (figures.keys === 'same-search') {
    return `${factor(1, 2)} candidates per key (the same keys, the same search: the ${figures.baseline.keys} keys both runs took)`;
  }
  const digits = digitsFor(ratio);
  // A seeded search that changed is not luck, whatever its interval says; an interval about 1 is luck.
  const why = figures.searchChanged ? ': seeded keys searched differently' : moved(ratio) ? '' : ": the search's luck";
  return `${factor(ratio.estimate, digits)} candidates per key (${bounds(ratio, digits)}${why})`;
}

function perCandidatePhrase(ratio: RatioInterval): string {
  const digits = digitsFor(ratio);
  return `${factor(ratio.estimate, digits)} time per candidate (${bounds(ratio, digits)})`;
}

/** Which factor did it, in words. */
function causePhrase(figures: Figures): string {
  const costs = figures.perCandidate.estimate > 1 ? 'more' : 'less';
  const tried = figures.candidatesPerKey.estimate > 1 ? 'more' : 'fewer';
  const how = figures.searchChanged ? 'a different search' : 'luck, or a different search';
  if (figures.keys === 'same-search') {
    return moved(figures.perCandidate) ? `the whole change is per-candidate cost: each candidate costs ${costs}` : 'the same keys cost the same, within the noise';
  }
  switch (figures.cause) {
    case 'per-candidate':
      return `each candidate costs ${costs}`;
    case 'candidates':
      return `${tried} candidates were tried (${how}), each cost the same`;
    case 'both':
      return `${tried} candidates were tried (${how}), and each cost ${costs}`;
    case 'neither':
      return 'neither factor moved beyond its interval';
  }
}

export function searchReading(figures: Figures): string {
  return `${perKeyPhrase(figures.perKey)} = ${candidatesPhrase(figures)} x ${perCandidatePhrase(figures.perCandidate)}: ${causePhrase(figures)}`;
}

/**
 * The explanations under a comparison table: a line that says what they are, then one per RSA case that has one,
 * `name: reading`; none when no case has one.
 */
export function searchLines(comparison: Pick<RunComparison, 'cases'>): string[] {
  const labels = caseLabels(comparison.cases);
  const lines = comparison.cases.flatMap((c, i) => (c.state === 'compared' && c.search ? [`${labels[i]!}: ${c.search.reading}`] : []));
  if (lines.length === 0) return [];
  const first = comparison.cases.find((c) => c.state === 'compared' && c.search);
  const confidence = first?.state === 'compared' ? first.search!.perKey.confidence : 0.95;
  const legend = `RSA, where the change of mean time per key came from: mean time per key = mean prime candidates per key x time per candidate (all keys' time over all their candidates), exactly; ${Number((confidence * 100).toPrecision(4))}% bootstrap intervals over blocks (over keys where a run has fewer than ${minimumBlocksToResample} blocks)`;
  return [legend, ...lines];
}
