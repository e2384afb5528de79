/**
 * What a candidate is judged against when it is named by branch or by baseline name rather than by run:
 * - `--baseline-branch B`: the complete runs of B on the candidate's testbed that started before it, the newest
 *   `lookback` of them (compare-history.ts judges against them when there are enough).
 * - `--baseline NAME`: the newest run saved as baseline NAME (bench --save-baseline) on the candidate's testbed.
 * Reads only: the store is never changed.
 */
import type { RunOverview } from '../model/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import type { RunStore } from '../store/index.js';
import type { BranchHistory } from './compare-history.js';
import { sameMachine } from './environment-diff.js';
import { referenceOf, type ResolvedRun } from './resolve-runs.js';
import { minimumHistory } from './statistics/index.js';

export const defaultLookback = 30;

/**
 * Where a branch's history is read from: the local store, or the team server's runs (remote/), which read alike,
 * so one implementation judges both. `path` names the source in messages.
 */
export type RunHistorySource = Pick<RunStore, 'path' | 'getRun' | 'findRuns' | 'findRunOverviews'>;

/** Enough history to judge by, or too little: then the newest past run, and how many there were. */
export type ResolvedHistory = { enough: true; history: BranchHistory } | { enough: false; newest: ResolvedRun; runs: number; testbed: string };

async function loadWhole(store: RunHistorySource, id: string): Promise<ResolvedRun> {
  const run = await store.getRun(id, { cycles: false });
  if (!run) throw new KeyscopeError(ErrorCodes.runNotFound, `run ${id} disappeared from ${store.path} while it was being read`);
  return { run, source: 'store' };
}

/** Testbeds and their run counts, most runs first: "testbeds 3f2a9c01 (12 runs), ci-large (3 runs)". */
function describeTestbeds(runs: readonly { testbed: string }[]): string {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.testbed, (counts.get(run.testbed) ?? 0) + 1);
  const named = [...counts].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} (${count} run${count === 1 ? '' : 's'})`);
  return `${named.length === 1 ? 'testbed' : 'testbeds'} ${named.join(', ')}`;
}

export async function resolveBranchHistory(store: RunHistorySource, candidate: ResolvedRun, branch: string, lookback = defaultLookback): Promise<ResolvedHistory> {
  const testbed = candidate.run.testbed;
  const isPast = (run: { id: string; startedAt: string }) => run.id !== candidate.run.id && Date.parse(run.startedAt) < Date.parse(candidate.run.startedAt);
  // Only the window is read (one more, in case the candidate itself is among them): from the team server, a
  // branch's whole history would be megabytes.
  const window: RunOverview[] = (await store.findRunOverviews({ branch, testbed, status: 'complete', startedBefore: candidate.run.startedAt, limit: lookback + 1 })).filter(isPast).slice(0, lookback);
  if (window.length === 0) {
    const anywhere = (await store.findRuns({ branch, status: 'complete' })).filter(isPast);
    if (anywhere.length === 0) {
      throw new KeyscopeError(ErrorCodes.noHistory, `no complete run of branch ${branch} before the candidate in ${store.path}: run "keyscope bench" on ${branch} first (a run records its branch from git, the CI, or --branch)`);
    }
    throw new KeyscopeError(ErrorCodes.noHistory, `branch ${branch} has no run on testbed ${testbed} (the candidate's) before it in ${store.path}; its runs are on ${describeTestbeds(anywhere)}`);
  }
  const newest = await loadWhole(store, window[0]!.id);
  if (window.length < minimumHistory) return { enough: false, newest, runs: window.length, testbed };
  return { enough: true, history: { branch, testbed, lookback, runs: window, newest: { run: newest.run, reference: referenceOf(newest) } } };
}

/**
 * Which runs saved as a baseline may serve: those of the candidate's testbed; those of its machine, whatever
 * their runtime (a comparison across runtimes); or any.
 */
export type BaselineScope = 'testbed' | 'machine' | 'anywhere';

/**
 * The newest run saved as baseline `name` on the candidate's testbed. One saved only on other testbeds is refused
 * (timings from another machine or runtime are not a baseline), unless `scope` widens it: 'anywhere' takes the
 * newest anywhere; 'machine' the newest of the candidate's machine under another runtime (the point of comparing
 * runtimes), else of its own testbed, and refuses baselines of other machines alone.
 */
export async function resolveNamedBaseline(store: RunStore, candidate: ResolvedRun, name: string, scope: BaselineScope = 'testbed'): Promise<ResolvedRun> {
  const saved = (await store.findRuns({ label: name })).filter((run) => run.id !== candidate.run.id);
  if (saved.length === 0) {
    throw new KeyscopeError(ErrorCodes.runNotFound, `no baseline named "${name}" in ${store.path}: save one with "keyscope bench --save-baseline ${name}"`);
  }
  if (scope === 'machine') return newestOfMachine(store, candidate, name);
  const here = saved.find((run) => run.testbed === candidate.run.testbed);
  if (here) return loadWhole(store, here.id);
  if (scope === 'testbed') {
    throw new KeyscopeError(
      ErrorCodes.baselineTestbed,
      `baseline "${name}" was measured on ${describeTestbeds(saved)}, not on ${candidate.run.testbed} (the candidate's); compare across testbeds with --cross-testbed`,
    );
  }
  return loadWhole(store, saved[0]!.id);
}

async function newestOfMachine(store: RunStore, candidate: ResolvedRun, name: string): Promise<ResolvedRun> {
  const saved = (await store.findRunOverviews({ label: name })).filter((run) => run.id !== candidate.run.id);
  const here = saved.filter((run) => sameMachine(run.environment, candidate.run.environment));
  const { node, openssl } = candidate.run.environment;
  const otherRuntime = here.find((run) => run.environment.node !== node || run.environment.openssl !== openssl);
  const chosen = otherRuntime ?? here[0];
  if (chosen) return loadWhole(store, chosen.id);
  throw new KeyscopeError(
    ErrorCodes.baselineTestbed,
    `baseline "${name}" was measured on ${describeTestbeds(saved)}, none of them on the candidate's machine (${candidate.run.environment.cpuModel}, ${candidate.run.environment.cores} cores); --across-runtimes compares runtimes of one machine only`,
  );
}
