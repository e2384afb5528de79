/**
 * compareRuns: matches the cases of two runs and compares each pair's samples. Cases match on suite, case,
 * implementation, algorithm and parameters (throughput cases differ only by their thread count); a seed is
 * not part of a case's identity, it only decides whether the two cases can be compared key by key.
 */
import { type CaseResult, caseIdentity, type CompletedCase, type RunRecord } from '../model/index.js';
import { quantileSorted, sortedCopy } from '../stats/index.js';
import { describeValue, ErrorCodes, InvalidArgumentError } from '../core/index.js';
import { compareRuntimes } from './across-runtimes.js';
import { environmentDifferences } from './environment-diff.js';
import { explainSearch } from './search-explanation.js';
import { type ComparisonSettingsInput, resolveComparisonSettings } from './settings.js';
import { compareSamples, type KeyPairs, pairingProblem, seededKeyPairs } from './statistics/index.js';
import type { CaseComparison, CaseSide, ComparisonSettings, RunComparison, RunReference, SampleComparison, Verdict } from './types.js';

export const defaultComparisonSettings: ComparisonSettings = { threshold: 0.05, confidence: 0.99 };

/** ns per prime candidate for each key; null unless every key has a candidate count. */
function perCandidate(result: CompletedCase): Float64Array | null {
  const { ns, candidates } = result.samples;
  if (!candidates || candidates.length !== ns.length || candidates.some((c) => !(c > 0))) return null;
  return ns.map((value, i) => value / candidates[i]!);
}

function side(result: CompletedCase, perCandidateSamples: Float64Array | null): CaseSide {
  return {
    median: result.summary.ns.median,
    count: result.samples.ns.length,
    medianPerCandidate: perCandidateSamples ? quantileSorted(sortedCopy(perCandidateSamples), 0.5) : null,
  };
}

/**
 * RSA cases are compared twice, per key and per prime candidate, each at half the error rate so that the
 * pair together keeps the confidence asked for. A regression in either is a regression; otherwise an
 * improvement in either; "unchanged" needs one of them to show it, which per-candidate usually can when the
 * luck of the prime search leaves per-key time inconclusive.
 */
export function combine(time: SampleComparison, candidate: SampleComparison): { verdict: Verdict; decidedBy: 'time' | 'per-candidate' | 'both' } {
  for (const verdict of ['regressed', 'improved', 'unchanged'] as const) {
    const byTime = time.verdict === verdict;
    const byCandidate = candidate.verdict === verdict;
    if (byTime || byCandidate) return { verdict, decidedBy: byTime && byCandidate ? 'both' : byTime ? 'time' : 'per-candidate' };
  }
  return { verdict: 'inconclusive', decidedBy: 'both' };
}

export function compareCase(baseline: CompletedCase, candidate: CompletedCase, settings: ComparisonSettings, interleaved = false): CaseComparison {
  const notes: string[] = [];
  const baselineSeed = baseline.parameters.seed;
  const candidateSeed = candidate.parameters.seed;
  const seeded = baselineSeed !== undefined && baselineSeed === candidateSeed;
  const inBlocks = baseline.blocks.length > 1 && candidate.blocks.length > 1;
  // Seeded keys laid out by block (run-case.ts): block p of both runs timed the same keys.
  const laidOut = seeded && baseline.parameters.seedBlockStride !== undefined && baseline.parameters.seedBlockStride === candidate.parameters.seedBlockStride;
  const seededBlocks = laidOut && inBlocks;
  // Runs of one block each pair their keys from the first: nothing in them measures the noise between runs, but
  // nothing better can be done with them either.
  const paired = seeded && !inBlocks && !interleaved;
  const blockProblem = pairingProblem(baseline.blocks, candidate.blocks);
  if (seededBlocks) {
    if (blockProblem) notes.push(`seeded blocks not paired (${blockProblem}): compared as blocks of two runs`);
  } else if (interleaved) {
    if (blockProblem) notes.push(`blocks not paired (${blockProblem}): compared as blocks of two runs`);
  } else if (baselineSeed !== candidateSeed) {
    notes.push(`seeds differ (${String(baselineSeed ?? 'none')} vs ${String(candidateSeed ?? 'none')}): compared as independent samples`);
  } else if (seeded && inBlocks) {
    // Runs from before the layout numbered their keys across blocks: the same key fell in blocks of different times.
    notes.push('seeded keys not laid out by block in both runs (an older run): compared as blocks of two runs');
  }
  const baselinePerCandidate = perCandidate(baseline);
  const candidatePerCandidate = perCandidate(candidate);
  const keyPairs = (paired || (seededBlocks && !blockProblem)) && baselinePerCandidate && candidatePerCandidate ? sameSeededKeys(baseline, candidate, paired) : null;
  const changed = keyPairs ? firstSearchDifference(baseline, candidate, keyPairs, paired) : null;
  // Keys that searched differently are different keys (another OpenSSL draws the seed's bytes differently): paired,
  // their different luck would be read as the change. So they are compared as two runs' samples.
  if (changed) notes.push(`seeded keys searched different numbers of prime candidates from ${changed}: the prime search itself changed; compared as ${paired ? 'independent samples' : 'blocks of two runs'}`);
  const sameKeys = changed === null;

  const both = baselinePerCandidate !== null && candidatePerCandidate !== null;
  // Two looks at one case share the error rate (Bonferroni), so the case as a whole keeps the confidence asked for.
  const each = both ? { ...settings, confidence: 1 - (1 - settings.confidence) / 2 } : settings;
  const blocks = { baseline: baseline.blocks, candidate: candidate.blocks };
  const how = { paired: paired && sameKeys, blocks, interleaved, seededBlocks: seededBlocks && sameKeys };
  const time = compareSamples(baseline.samples.ns, candidate.samples.ns, { ...each, ...how });
  const perCandidateComparison = both ? compareSamples(baselinePerCandidate, candidatePerCandidate, { ...each, ...how }) : null;
  const decision = perCandidateComparison ? combine(time, perCandidateComparison) : { verdict: time.verdict, decidedBy: 'time' as const };
  return {
    state: 'compared',
    key: candidate.key,
    parameters: candidate.parameters,
    baseline: side(baseline, baselinePerCandidate),
    candidate: side(candidate, candidatePerCandidate),
    time,
    perCandidate: perCandidateComparison,
    ...decision,
    unstable: time.unstable && (perCandidateComparison?.unstable ?? true),
    notes,
    search: explainSearch(baseline, candidate, keyPairs ? { pairs: keyPairs, changed: changed !== null } : null),
  };
}

/** Where seeded keys of both runs are the same keys: key i of each (runs of one block), or pair p's first keys. */
function sameSeededKeys(baseline: CompletedCase, candidate: CompletedCase, wholeRuns: boolean): KeyPairs[] {
  if (!wholeRuns) return seededKeyPairs(baseline.blocks, candidate.blocks);
  return [{ baselineOffset: 0, candidateOffset: 0, keys: Math.min(baseline.samples.ns.length, candidate.samples.ns.length) }];
}

/** The first seeded key whose prime search differs between the runs ("key 12", "block 3, key 2"), or null. */
function firstSearchDifference(baseline: CompletedCase, candidate: CompletedCase, pairs: readonly KeyPairs[], wholeRuns: boolean): string | null {
  const a = baseline.samples.candidates!;
  const b = candidate.samples.candidates!;
  for (const [p, { baselineOffset, candidateOffset, keys }] of pairs.entries()) {
    for (let j = 0; j < keys; j++) {
      if (a[baselineOffset + j] !== b[candidateOffset + j]) return wholeRuns ? `key ${j}` : `block ${p + 1}, key ${j + 1}`;
    }
  }
  return null;
}

export function describeState(result: CaseResult | undefined): string {
  if (!result) return 'absent';
  if (result.state === 'errored') return `errored (${result.error.code})`;
  if (result.state === 'skipped') return 'skipped';
  return 'completed';
}

export function tooFewSamples(baseline: CompletedCase, candidate: CompletedCase): string | null {
  const counts = [baseline.samples.ns.length, candidate.samples.ns.length];
  if (Math.min(...counts) >= 2) return null;
  return `too few samples to compare (baseline ${counts[0]}, candidate ${counts[1]}; at least 2 a side)`;
}

/**
 * `session`: the two runs came from one interleaved session (src/bench/interleave.ts), with the seed that ordered
 * its pairs; their blocks are compared as pairs.
 */
export function compareRuns(
  baseline: { run: RunRecord; reference: RunReference },
  candidate: { run: RunRecord; reference: RunReference },
  input: ComparisonSettingsInput = defaultComparisonSettings,
  session?: { seed: number; forks: number },
): RunComparison {
  const settings = resolveComparisonSettings(input, (name, problem) => {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `compareRuns: ${name} ${problem}, got ${describeValue(input[name])}`);
  });
  const strict = input.strict ?? false;
  const environment = environmentDifferences(baseline.run, candidate.run);
  // Checked before any case is compared: two machines are refused however the cases would have come out.
  const across = input.acrossRuntimes ? compareRuntimes(baseline.run.environment, candidate.run.environment, environment) : null;
  const baselineCases = new Map(baseline.run.cases.map((c) => [caseIdentity(c), c]));
  const comparable = (before: CaseResult | undefined, after: CaseResult): before is CompletedCase =>
    before?.state === 'completed' && after.state === 'completed' && tooFewSamples(before, after) === null;
  // The confidence asked for is the run's: with m cases judged, each is judged at 1 - (1 - confidence) / m
  // (Bonferroni), so that a run of unchanged code gates at most 1 - confidence of the time, however many cases
  // it has. Measured on real runs: at 99% a case, 3 of 20 A/A pairs of quick runs (20 cases) gated.
  const judged = Math.max(1, candidate.run.cases.filter((c) => comparable(baselineCases.get(caseIdentity(c)), c)).length);
  const caseSettings = { ...settings, confidence: 1 - (1 - settings.confidence) / judged };
  const seen = new Set<string>();
  const cases: CaseComparison[] = [];
  for (const result of candidate.run.cases) {
    const id = caseIdentity(result);
    seen.add(id);
    const before = baselineCases.get(id);
    const tooFew = before?.state === 'completed' && result.state === 'completed' ? tooFewSamples(before, result) : null;
    if (tooFew) cases.push({ state: 'unmatched', key: result.key, parameters: result.parameters, reason: tooFew });
    else if (comparable(before, result)) {
      cases.push(compareCase(before, result as CompletedCase, caseSettings, session !== undefined));
    } else {
      cases.push({ state: 'unmatched', key: result.key, parameters: result.parameters, reason: `baseline: ${describeState(before)}; candidate: ${describeState(result)}` });
    }
  }
  for (const [id, result] of baselineCases) {
    if (!seen.has(id)) cases.push({ state: 'unmatched', key: result.key, parameters: result.parameters, reason: `baseline: ${describeState(result)}; candidate: absent` });
  }
  return {
    against: session ? { kind: 'interleaved', seed: session.seed, forks: session.forks } : { kind: 'run' },
    notices: across?.notices ?? [],
    baseline: baseline.reference,
    candidate: candidate.reference,
    settings,
    caseConfidence: caseSettings.confidence,
    strict,
    cases,
    environment,
    runtimes: across?.runtimes ?? null,
    counts: countVerdicts(cases, strict),
  };
}

/** Each case counted once: an unstable case (unless strict) as unstable, whatever its verdict; others by verdict. */
export function countVerdicts(cases: readonly CaseComparison[], strict: boolean): RunComparison['counts'] {
  const counts = { improved: 0, regressed: 0, unchanged: 0, inconclusive: 0, unstable: 0, unmatched: 0 };
  for (const c of cases) counts[c.state === 'compared' ? (c.unstable && !strict ? 'unstable' : c.verdict) : 'unmatched']++;
  return counts;
}
