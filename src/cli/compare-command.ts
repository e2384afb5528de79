/**
 * `keyscope compare [BASELINE] [CANDIDATE]`: did the candidate get slower, with what confidence. The baseline is
 * a run (named, or the default pair), a named baseline of the candidate's testbed (--baseline NAME), or the
 * history of a branch on it (--baseline-branch B).
 */
import {
  compareRuns, compareWithHistory, type ComparisonFormat, comparisonFormats, type ComparisonSettings, type ComparisonSettingsInput, defaultLookback, minimumHistory, referenceOf,
  type BaselineScope, reportNotJudgedToGithub, type RunHistorySource, reportToGithub, resolveBranchHistory, resolveCandidate, resolveComparisonPair, resolveComparisonSettings, type ResolvedRun, resolveNamedBaseline, type RunComparison, runtimeFields, type StoreProvider,
} from '../compare/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import type { CommandIO } from './command-context.js';
import { openRemoteRuns } from './remote-runs.js';
import { withStoreIfNeeded } from './runs-command.js';

export interface CompareCommandOptions {
  threshold: string;
  confidence: string;
  format: ComparisonFormat;
  strict?: boolean;
  db?: string;
  /** Judge against this branch's history on the candidate's testbed. */
  baselineBranch?: string;
  /** How many of the branch's newest past runs the history holds. */
  lookback?: string;
  /** Judge against the named baseline (bench --save-baseline) of the candidate's testbed. */
  baseline?: string;
  /** Let --baseline use a baseline measured on another testbed. */
  crossTestbed?: boolean;
  /** With --baseline-branch: a branch with no history yet passes with a notice instead of failing (a first PR). */
  allowNoHistory?: boolean;
  /** The two runs are one machine's, under two runtimes (Node/OpenSSL): compare the runtimes. */
  acrossRuntimes?: boolean;
  /** Read --baseline-branch's history from the team server at this URL instead of the local store. */
  server?: string;
}

/** --threshold/--confidence as fractions: `5%` and `0.05` alike (src/core/fraction.ts), anything else refused. */
export function parseComparisonOptions(options: { threshold: string; confidence: string }): ComparisonSettings {
  return resolveComparisonSettings(options as ComparisonSettingsInput, (name, problem) => {
    throw new KeyscopeError(ErrorCodes.usage, `--${name} ${problem}; got "${options[name]}"`);
  });
}

function parseLookback(text: string | undefined): number {
  if (text === undefined) return defaultLookback;
  const value = Number(text);
  // Fewer than minimumHistory runs can never teach a threshold: such a window would quietly mean "the newest run".
  if (!/^\s*\d+\s*$/.test(text) || !(value >= minimumHistory && value <= 10_000)) {
    throw new KeyscopeError(ErrorCodes.usage, `--lookback must be a whole number of runs from ${minimumHistory} (the fewest a threshold is learned from) to 10000, got "${text}"`);
  }
  return value;
}

type Judged = { comparison: (settings: ComparisonSettingsInput) => RunComparison } | { notJudged: string };

async function judgeAgainstBranch(candidate: ResolvedRun, branch: string, lookback: number, allowNoHistory: boolean, openSource: () => Promise<RunHistorySource>): Promise<Judged> {
  const store = await openSource();
  const resolved = await resolveBranchHistory(store, candidate, branch, lookback).catch((error: unknown) => {
    if (allowNoHistory && error instanceof KeyscopeError && error.code === ErrorCodes.noHistory) return null;
    throw error;
  });
  if (resolved === null) {
    return { notJudged: `no history of ${branch} on testbed ${candidate.run.testbed} in ${store.path} yet: run ${candidate.run.id.slice(0, 8)} was not judged, and passes (--allow-no-history)` };
  }
  const candidateSide = { run: candidate.run, reference: referenceOf(candidate) };
  if (resolved.enough) return { comparison: (settings) => compareWithHistory(candidateSide, resolved.history, settings) };
  const notice = `history: only ${resolved.runs} past run${resolved.runs === 1 ? '' : 's'} of ${branch} on testbed ${resolved.testbed} (5 needed to learn a threshold): judged against the newest of them by the per-run model`;
  return {
    comparison: (settings) => {
      const comparison = compareRuns({ run: resolved.newest.run, reference: referenceOf(resolved.newest) }, candidateSide, settings);
      return { ...comparison, notices: [notice, ...comparison.notices] };
    },
  };
}

async function judgeAgainstNamed(candidate: ResolvedRun, name: string, scope: BaselineScope, openStore: StoreProvider): Promise<Judged> {
  const baseline = await resolveNamedBaseline(await openStore(), candidate, name, scope);
  const asked = scope === 'machine' ? 'across runtimes on one machine, as asked (--across-runtimes)' : 'across testbeds, as asked (--cross-testbed)';
  const notices = baseline.run.testbed === candidate.run.testbed ? [] : [`baseline "${name}" is from testbed ${baseline.run.testbed}, the candidate from ${candidate.run.testbed}: compared ${asked}`];
  return {
    comparison: (settings) => {
      const comparison = compareRuns({ run: baseline.run, reference: referenceOf(baseline) }, { run: candidate.run, reference: referenceOf(candidate) }, settings);
      return { ...comparison, notices: [...notices, ...comparison.notices] };
    },
  };
}

async function judgeAgainstRun(baselineReference: string | undefined, candidateReference: string | undefined, openStore: StoreProvider): Promise<Judged> {
  const pair = await resolveComparisonPair(baselineReference, candidateReference, openStore);
  return { comparison: (settings) => compareRuns({ run: pair.baseline.run, reference: referenceOf(pair.baseline) }, { run: pair.candidate.run, reference: referenceOf(pair.candidate) }, settings) };
}

export async function runCompare(
  firstReference: string | undefined,
  secondReference: string | undefined,
  options: CompareCommandOptions,
  io: CommandIO & { color?: boolean },
): Promise<{ comparison: RunComparison | null; exitCode: number }> {
  const { threshold, confidence } = parseComparisonOptions(options);
  const byName = options.baselineBranch !== undefined || options.baseline !== undefined;
  if (options.baselineBranch !== undefined && options.baseline !== undefined) throw new KeyscopeError(ErrorCodes.usage, '--baseline-branch and --baseline both name the baseline: give one of them');
  if (byName && secondReference !== undefined) {
    throw new KeyscopeError(ErrorCodes.usage, `with --${options.baseline !== undefined ? 'baseline' : 'baseline-branch'} name only the candidate run, got two runs ("${firstReference}", "${secondReference}")`);
  }
  if (options.lookback !== undefined && options.baselineBranch === undefined) throw new KeyscopeError(ErrorCodes.usage, '--lookback needs --baseline-branch');
  if (options.crossTestbed && options.baseline === undefined) throw new KeyscopeError(ErrorCodes.usage, '--cross-testbed needs --baseline NAME');
  if (options.allowNoHistory && options.baselineBranch === undefined) throw new KeyscopeError(ErrorCodes.usage, '--allow-no-history needs --baseline-branch');
  if (options.acrossRuntimes && options.baselineBranch !== undefined) {
    throw new KeyscopeError(ErrorCodes.usage, "--across-runtimes compares two runs, and a branch's history is kept per testbed, one runtime: name the baseline run (or --baseline NAME) instead of --baseline-branch");
  }
  if (options.acrossRuntimes && options.crossTestbed) {
    throw new KeyscopeError(ErrorCodes.usage, '--across-runtimes already takes a baseline from another testbed of the same machine; --cross-testbed would take other machines too, which a comparison of runtimes refuses: give one of them');
  }
  if (options.server !== undefined && options.baselineBranch === undefined) throw new KeyscopeError(ErrorCodes.usage, "--server reads a branch's history: give it with --baseline-branch");
  const lookback = parseLookback(options.lookback);
  const server = options.server === undefined ? null : openRemoteRuns(options.server, io.env);

  const judged = await withStoreIfNeeded(options, async (openStore) => {
    if (!byName) return judgeAgainstRun(firstReference, secondReference, openStore);
    const candidate = await resolveCandidate(firstReference, openStore);
    if (options.baselineBranch !== undefined) {
      const openSource = server === null ? openStore : () => Promise.resolve(server);
      return judgeAgainstBranch(candidate, options.baselineBranch, lookback, options.allowNoHistory ?? false, openSource);
    }
    const scope: BaselineScope = options.acrossRuntimes ? 'machine' : options.crossTestbed ? 'anywhere' : 'testbed';
    return judgeAgainstNamed(candidate, options.baseline!, scope, openStore);
  });
  if ('notJudged' in judged) {
    const message = judged.notJudged;
    io.stdout.write(options.format === 'json' ? `${JSON.stringify({ judged: false, reason: message })}\n` : `keyscope compare: not judged: ${message}\n`);
    await reportNotJudgedToGithub(message, io.env, (line) => process.stderr.write(line));
    return { comparison: null, exitCode: 0 };
  }
  const acrossRuntimes = options.acrossRuntimes ?? false;
  const comparison = judged.comparison({ threshold, confidence, strict: options.strict ?? false, acrossRuntimes });
  // Strict gating accepts no difference that moves timings (another CPU, Node, OpenSSL or addon build) but the
  // runtime a comparison across runtimes set out to compare.
  const significant = comparison.environment.differences.filter((d) => d.significant && !(acrossRuntimes && runtimeFields.has(d.field))).map((d) => d.field);
  if (options.strict && significant.length > 0) {
    const what = !comparison.environment.sameMachine ? 'on different machines' : acrossRuntimes ? 'with different software besides the runtime' : 'with different software';
    throw new KeyscopeError(ErrorCodes.environmentMismatch, `--strict: the runs were measured ${what} (${significant.join(', ')} differ); refusing to gate`);
  }
  io.stdout.write(comparisonFormats[options.format](comparison, { color: io.color ?? false }));
  // Annotations go to stderr (the runner reads workflow commands from both), so stdout stays pure JSON or markdown.
  await reportToGithub(comparison, io.env, (line) => process.stderr.write(line));
  return { comparison, exitCode: comparison.counts.regressed > 0 ? 1 : 0 };
}
