/**
 * push and pull: runs between a local store and the team server, each run whole, each stored once on either
 * side. A run keeps its id, branch, commit and testbed; what either side already has is not sent again.
 */
import type { RunRecord } from '../model/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { encodeDocument, type RunStore } from '../store/index.js';
import type { RemoteRuns } from './remote-runs.js';

export interface SyncedRun {
  id: string;
  branch: string | null;
  commit: string | null;
  testbed: string;
  samples: number;
  /** false: the other side had it already. */
  stored: boolean;
}

function describe(run: RunRecord, stored: boolean): SyncedRun {
  const samples = run.cases.reduce((sum, c) => sum + (c.state === 'completed' ? c.samples.ns.length : 0), 0);
  return { id: run.id, branch: run.git?.branch ?? null, commit: run.git?.commit ?? null, testbed: run.testbed, samples, stored };
}

/**
 * Sends the runs named by `ids` (all runs of the store when empty) that the server lacks; `each` hears of
 * every run as it is sent. A run the server refuses stops the push with the server's error: those sent before
 * it are stored, and a second push sends only the rest.
 */
export async function pushRuns(store: RunStore, remote: RemoteRuns, ids: readonly string[], each: (run: SyncedRun) => void = () => {}): Promise<{ pushed: SyncedRun[]; already: number }> {
  const wanted = ids.length > 0 ? ids : (await store.listRuns()).map((run) => run.id).reverse();
  const lacking = new Set((await remote.missing(wanted)).map((id) => id.toLowerCase()));
  const pushed: SyncedRun[] = [];
  for (const id of wanted) {
    if (!lacking.has(id.toLowerCase())) continue;
    const run = await store.getRun(id);
    if (!run) throw new KeyscopeError(ErrorCodes.runNotFound, `run ${id} disappeared from ${store.path} while it was being pushed`);
    const synced = describe(run, await remote.put(encodeDocument(run, 'inline')));
    pushed.push(synced);
    each(synced);
  }
  return { pushed, already: wanted.length - pushed.length };
}

/** Fetches the server's runs (of `branch`, if given) that the store lacks, oldest first, and saves each. */
export async function pullRuns(store: RunStore, remote: RemoteRuns, branch: string | undefined, each: (run: SyncedRun) => void = () => {}): Promise<{ pulled: SyncedRun[]; already: number }> {
  const listed = await remote.findRuns(branch === undefined ? {} : { branch });
  const local = new Set((await store.listRuns()).map((run) => run.id.toLowerCase()));
  const pulled: SyncedRun[] = [];
  for (const listing of [...listed].reverse()) {
    if (local.has(listing.id.toLowerCase())) continue;
    const run = await remote.getRun(listing.id);
    if (!run) continue; // deleted on the server since it was listed
    await store.saveRun(run);
    const synced = describe(run, true);
    pulled.push(synced);
    each(synced);
  }
  return { pulled, already: listed.length - pulled.length };
}
