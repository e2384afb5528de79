/**
 * Turns what a person types (a run id or its first characters, a label, an exported file) into a run, and
 * picks the default pair for `compare`: the latest run labelled "baseline" (else the run before the latest)
 * against the latest run.
 */
import { existsSync } from 'node:fs';

import type { RunRecord } from '../model/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { readRunExport, type RunStore } from '../store/index.js';
import type { RunReference } from './types.js';

export interface ResolvedRun {
  run: RunRecord;
  /** "store" or the exported file it was read from. */
  source: string;
}

/** The store is opened only when a reference needs it: comparing two exported files needs no store at all. */
export type StoreProvider = () => Promise<RunStore>;

const idLike = /^[0-9a-f][0-9a-f-]{3,35}$/i;
/** How many matching runs an ambiguous id prefix lists. */
const ambiguousListed = 5;

function looksLikeFile(reference: string): boolean {
  return /\.(json|parquet)$/i.test(reference) || reference.includes('/') || existsSync(reference);
}

async function loadStored(store: RunStore, id: string, reference: string): Promise<ResolvedRun> {
  // Comparisons and reports use ns and prime-candidate samples, and cycles only through their summaries.
  const run = await store.getRun(id, { cycles: false });
  if (!run) throw new KeyscopeError(ErrorCodes.runNotFound, `run ${reference} disappeared from ${store.path} while it was being read`);
  return { run, source: 'store' };
}

/** The id of a stored run named by id, id prefix (4+ characters) or label (the latest run with it). */
export async function storedRunId(store: RunStore, reference: string): Promise<string> {
  if (idLike.test(reference)) {
    const byId = await store.findRuns({ idPrefix: reference.toLowerCase(), limit: ambiguousListed + 1 });
    if (byId.length > 1) {
      // Listing the candidates lets the person pick one without a separate `runs list`.
      const listed = byId.slice(0, ambiguousListed).map((run) => `${run.id}${run.label ? ` (${run.label})` : ''}`);
      const more = byId.length > ambiguousListed ? ', …' : '';
      throw new KeyscopeError(ErrorCodes.runAmbiguous, `"${reference}" is the start of more than one run id in ${store.path}: ${listed.join(', ')}${more}; type more of it`);
    }
    if (byId.length === 1) return byId[0]!.id;
  }
  const byLabel = await store.findRuns({ label: reference, limit: 1 });
  if (byLabel.length === 1) return byLabel[0]!.id;
  throw new KeyscopeError(ErrorCodes.runNotFound, `no run with id or label "${reference}" in ${store.path}, and no such file`);
}

export async function resolveStoredRun(store: RunStore, reference: string): Promise<ResolvedRun> {
  return loadStored(store, await storedRunId(store, reference), reference);
}

/** An exported file, or a stored run (see resolveStoredRun). */
export async function resolveRun(reference: string, openStore: StoreProvider): Promise<ResolvedRun> {
  if (looksLikeFile(reference)) return { run: await readRunExport(reference), source: reference };
  return resolveStoredRun(await openStore(), reference);
}

/** The run named, or by default the latest run. */
export async function resolveCandidate(reference: string | undefined, openStore: StoreProvider): Promise<ResolvedRun> {
  if (reference !== undefined) return resolveRun(reference, openStore);
  const store = await openStore();
  const [latest] = await store.findRuns({ limit: 1 });
  if (!latest) throw new KeyscopeError(ErrorCodes.compareNeedsRuns, `no runs in ${store.path} to compare: run "keyscope bench" first`);
  return loadStored(store, latest.id, latest.id);
}

/** The default candidate: the latest run. The default baseline: the latest other run labelled "baseline", else the previous run. */
export async function resolveComparisonPair(
  baselineReference: string | undefined,
  candidateReference: string | undefined,
  openStore: StoreProvider,
): Promise<{ baseline: ResolvedRun; candidate: ResolvedRun }> {
  const candidate = await resolveCandidate(candidateReference, openStore);
  if (baselineReference !== undefined) return { baseline: await resolveRun(baselineReference, openStore), candidate };

  const store = await openStore();
  const labelled = (await store.findRuns({ label: 'baseline', limit: 2 })).find((run) => run.id !== candidate.run.id);
  if (labelled) return { baseline: await loadStored(store, labelled.id, labelled.id), candidate };
  const previous = (await store.findRuns({ limit: 2 })).find((run) => run.id !== candidate.run.id);
  if (!previous) {
    throw new KeyscopeError(ErrorCodes.compareNeedsRuns, `only one run in ${store.path}: name a baseline (a run id, label or exported file) or run "keyscope bench" again`);
  }
  return { baseline: await loadStored(store, previous.id, previous.id), candidate };
}

export function referenceOf({ run, source }: ResolvedRun): RunReference {
  return {
    id: run.id,
    label: run.label,
    startedAt: run.startedAt,
    status: run.status,
    commit: run.git?.commit ?? null,
    branch: run.git?.branch ?? null,
    dirty: run.git?.dirty ?? false,
    source,
  };
}
