/**
 * Gathers what a report shows from the store and exported files: the runs named (or the latest run and its
 * default baseline), their comparison, and the history of the last run's branch on its testbed (else its label).
 */
import type { RunRecord } from '../model/index.js';
import { compareRuns, type ComparisonSettings, defaultComparisonSettings, referenceOf, resolveComparisonPair, type ResolvedRun, resolveRun, type StoreProvider } from '../compare/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import type { ReportInput } from './report-model.js';

export interface CollectOptions {
  /** How many runs of history to show per case (default 20). */
  history?: number;
  settings?: ComparisonSettings;
  /** Without references: compare the latest run with its default baseline when there is one (default true). */
  compareLatest?: boolean;
  /** The runs compared are one machine's under two runtimes (compareRuns' acrossRuntimes): compare the runtimes. */
  acrossRuntimes?: boolean;
}

async function historyOf(last: RunRecord, openStore: StoreProvider, count: number): Promise<RunRecord[]> {
  const store = await openStore();
  // A branch's runs on one testbed are the series compare --baseline-branch judges by; runs off any branch
  // (no git) fall back to their label.
  const filter = last.git?.branch ? { branch: last.git.branch, testbed: last.testbed } : last.label !== null ? { label: last.label } : {};
  const listings = await store.findRuns({ ...filter, limit: count });
  const runs: RunRecord[] = [];
  // Oldest first, as the history charts read left to right.
  for (const listing of listings.reverse()) {
    const run = listing.id === last.id ? last : await store.getRun(listing.id, { cycles: false });
    if (run) runs.push(run);
  }
  return runs;
}

/** The latest run, with its default baseline (see resolveComparisonPair) when the store has one. */
async function defaultRuns(openStore: StoreProvider, compareLatest: boolean): Promise<ResolvedRun[]> {
  const store = await openStore();
  const [latest] = await store.findRuns({ limit: 1 });
  if (!latest) throw new KeyscopeError(ErrorCodes.compareNeedsRuns, `no runs in ${store.path} to report: run "keyscope bench" first`);
  if (compareLatest) {
    try {
      const pair = await resolveComparisonPair(undefined, undefined, openStore);
      return [pair.baseline, pair.candidate];
    } catch (error) {
      // A lone run is still worth a report, just without a comparison.
      if (!(error instanceof KeyscopeError && error.code === ErrorCodes.compareNeedsRuns)) throw error;
    }
  }
  const run = await store.getRun(latest.id, { cycles: false });
  if (!run) throw new KeyscopeError(ErrorCodes.runNotFound, `run ${latest.id} disappeared from ${store.path} while it was being read`);
  return [{ run, source: 'store' }];
}

export async function collectReportInput(references: string[], openStore: StoreProvider, options: CollectOptions = {}): Promise<ReportInput> {
  const settings = options.settings ?? defaultComparisonSettings;
  const historyLength = options.history ?? 20;
  const resolved: ResolvedRun[] = [];
  for (const reference of references) resolved.push(await resolveRun(reference, openStore));
  if (resolved.length === 0) resolved.push(...(await defaultRuns(openStore, options.compareLatest ?? true)));

  const first = resolved[0]!;
  const last = resolved[resolved.length - 1]!;
  const comparison =
    resolved.length >= 2
      ? compareRuns({ run: first.run, reference: referenceOf(first) }, { run: last.run, reference: referenceOf(last) }, { ...settings, acrossRuntimes: options.acrossRuntimes ?? false })
      : null;
  // History comes from the store; a report of exported files alone shows just those runs.
  const fromStore = resolved.some((r) => r.source === 'store');
  const history = fromStore && historyLength > 0 ? await historyOf(last.run, openStore, historyLength) : resolved.map((r) => r.run);
  return { runs: resolved.map((r) => r.run), comparison, history, generatedAt: new Date().toISOString() };
}
