/**
 * compareWithHistory: judges a run against the history of its baseline branch on its testbed, case by case.
 * A case with at least minimumHistory past runs in the window is judged by where its location (run-location.ts:
 * the typical block time its comparison would use) falls among theirs
 * (statistics/history-limit.ts), at a threshold the history taught; a case with fewer is judged, as compareRuns
 * would, against the newest past run, and says so; a case neither can judge is unmatched, with the reason.
 */
import { caseIdentity, type CompletedCase, type RunOverview, type RunRecord } from '../model/index.js';
import { describeValue, ErrorCodes, InvalidArgumentError } from '../core/index.js';
import { combine, compareCase, countVerdicts, describeState, tooFewSamples } from './compare-runs.js';
import { environmentDifferences } from './environment-diff.js';
import { type CaseLocation, caseLocation, overviewLocation } from './run-location.js';
import { type ComparisonSettingsInput, resolveComparisonSettings } from './settings.js';
import { judgeAgainstHistory, minimumHistory } from './statistics/index.js';
import type { CaseComparison, ComparisonSettings, JudgedAgainst, RunComparison, RunReference } from './types.js';

export interface BranchHistory {
  branch: string;
  testbed: string;
  /** How many past runs the window may hold. */
  lookback: number;
  /** The window: complete past runs of the branch on the testbed, newest first, at most `lookback`, at least one. */
  runs: readonly RunOverview[];
  /** The newest of them in full, for the cases the history is too short for. */
  newest: { run: RunRecord; reference: RunReference };
}

/** The case's location in every run of the window that completed it (run-location.ts). */
function pastLocations(runs: readonly RunOverview[], identity: string): CaseLocation[] {
  return runs.flatMap((run) => run.cases.filter((c) => caseIdentity(c) === identity).flatMap((c) => overviewLocation(c) ?? []));
}

function judgeCase(candidate: CompletedCase, here: CaseLocation, past: CaseLocation[], settings: ComparisonSettings): CaseComparison {
  const perCandidatePast = past.map((p) => p.perCandidate).filter((v): v is number => v !== null);
  const both = here.perCandidate !== null && perCandidatePast.length >= minimumHistory;
  // As compareRuns does: RSA's two looks at one case share its error rate.
  const each = both ? { ...settings, confidence: 1 - (1 - settings.confidence) / 2 } : settings;
  const time = judgeAgainstHistory(past.map((p) => p.time), here.time, each);
  const perCandidate = both ? judgeAgainstHistory(perCandidatePast, here.perCandidate!, each) : null;
  const decision = perCandidate ? combine(time, perCandidate) : { verdict: time.verdict, decidedBy: 'time' as const };
  return {
    state: 'compared',
    key: candidate.key,
    parameters: candidate.parameters,
    baseline: { median: time.history!.mean, count: past.length, medianPerCandidate: perCandidate?.history?.mean ?? null },
    candidate: { median: here.time, count: candidate.samples.ns.length, medianPerCandidate: both ? here.perCandidate : null },
    time,
    perCandidate,
    ...decision,
    unstable: false,
    notes: [],
    // A history holds each run's locations, not its keys: nothing to decompose.
    search: null,
  };
}

export function compareWithHistory(candidate: { run: RunRecord; reference: RunReference }, history: BranchHistory, input: ComparisonSettingsInput): RunComparison {
  const settings = resolveComparisonSettings(input, (name, problem) => {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `compareWithHistory: ${name} ${problem}, got ${describeValue(input[name])}`);
  });
  if (history.runs.length === 0) throw new InvalidArgumentError(ErrorCodes.invalidOption, 'compareWithHistory: the history has no runs');
  const strict = input.strict ?? false;
  const newestCases = new Map(history.newest.run.cases.map((c) => [caseIdentity(c), c]));

  type Plan = { kind: 'history'; here: CaseLocation; past: CaseLocation[] } | { kind: 'run'; baseline: CompletedCase; past: number } | { kind: 'none'; reason: string };
  const plans = candidate.run.cases.map((result): Plan => {
    const identity = caseIdentity(result);
    const past = pastLocations(history.runs, identity);
    if (result.state !== 'completed') return { kind: 'none', reason: `candidate: ${describeState(result)}` };
    const here = caseLocation(result);
    if (here && past.length >= minimumHistory) return { kind: 'history', here, past };
    const before = newestCases.get(identity);
    if (before?.state === 'completed' && tooFewSamples(before, result) === null) return { kind: 'run', baseline: before, past: past.length };
    return { kind: 'none', reason: `${history.branch} has ${past.length} past run${past.length === 1 ? '' : 's'} of this case on testbed ${history.testbed} (${minimumHistory} needed), and its newest run: ${describeState(before)}` };
  });
  // The run's confidence shared among the cases judged (Bonferroni), as in compareRuns.
  const judged = Math.max(1, plans.filter((p) => p.kind !== 'none').length);
  const caseSettings = { ...settings, confidence: 1 - (1 - settings.confidence) / judged };

  const cases: CaseComparison[] = candidate.run.cases.map((result, index) => {
    const plan = plans[index]!;
    if (plan.kind === 'none') return { state: 'unmatched', key: result.key, parameters: result.parameters, reason: plan.reason };
    if (plan.kind === 'history') return judgeCase(result as CompletedCase, plan.here, plan.past, caseSettings);
    const compared = compareCase(plan.baseline, result as CompletedCase, caseSettings);
    if (compared.state === 'compared') {
      compared.notes.push(`${history.branch} has ${plan.past} past run${plan.past === 1 ? '' : 's'} of this case on testbed ${history.testbed} (${minimumHistory} needed): judged against its newest run alone`);
    }
    return compared;
  });
  const inCandidate = new Set(candidate.run.cases.map((c) => caseIdentity(c)));
  for (const [identity, result] of newestCases) {
    if (!inCandidate.has(identity)) cases.push({ state: 'unmatched', key: result.key, parameters: result.parameters, reason: `${history.branch}'s newest run: ${describeState(result)}; candidate: absent` });
  }

  const oldest = history.runs[history.runs.length - 1]!;
  const newest = history.runs[0]!;
  const against: JudgedAgainst = {
    kind: 'history',
    branch: history.branch,
    testbed: history.testbed,
    runs: history.runs.length,
    lookback: history.lookback,
    oldest: { startedAt: oldest.startedAt, commit: oldest.git?.commit ?? null },
    newest: { startedAt: newest.startedAt, commit: newest.git?.commit ?? null },
  };
  return {
    against,
    notices: [],
    baseline: history.newest.reference,
    candidate: candidate.reference,
    settings,
    caseConfidence: caseSettings.confidence,
    strict,
    cases,
    environment: environmentDifferences(history.newest.run, candidate.run),
    runtimes: null,
    counts: countVerdicts(cases, strict),
  };
}
