/**
 * The dashboard's one way into the bench run store. openStore allows one open per file per process, and the
 * Performance page, the recommendations and the exports all read it, so every access goes through one
 * in-process mutex here (two at once would make one of them KS_STORE_BUSY and the bench data flicker to
 * empty). What was read is cached under the store file's (and its WAL's) mtime and size: the live pages
 * refetch every second or so, and reopening the store each time would also collide with `keyscope bench`
 * saving a run. Only a lock held by another process (a bench saving) means "no bench data", and then the last
 * data read is shown until the store can be read again; the in-process refusal cannot happen behind the
 * mutex, and if it does (a library user in this process holds it) it is an error, not an empty page.
 */
import { stat } from 'node:fs/promises';

import type { RunListing, RunRecord } from '../../model/index.js';
import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { openStore, type RunStore } from '../../store/index.js';

interface Snapshot {
  /** `mtime:size` of the file and its WAL when this was read. */
  version: string;
  listing: RunListing[];
  /** Runs loaded so far (without cycles), by id; undefined = no such run. */
  runs: Map<string, RunRecord | undefined>;
}

/** Cross-process lock: KS_STORE_BUSY naming its holder (the in-process refusal says "already open in this process"). */
function heldByAnotherProcess(error: unknown): boolean {
  return error instanceof KeyscopeError && error.code === ErrorCodes.storeBusy && !/in this process/.test(error.message);
}

/**
 * How long a read waits for a process writing the store (a bench saves a run in well under this) before the
 * page shows the last data read: the page's request waits that long at most.
 */
const readWaitMs = 1000;

async function fileVersion(path: string): Promise<string | null> {
  const part = async (file: string) => {
    try {
      const stats = await stat(file);
      return `${stats.mtimeMs}:${stats.size}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
  const main = await part(path);
  return main === null ? null : `${main}|${(await part(`${path}.wal`)) ?? '-'}`;
}

export class RunStoreReader {
  readonly path: string;
  #tail: Promise<unknown> = Promise.resolve();
  #snapshot: Snapshot | null = null;
  /** Store opens so far (the tests check that a refresh with an unchanged file reads the cache). */
  opens = 0;

  constructor(path: string) {
    this.path = path;
  }

  /** Runs `work` after every store access queued before it. */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(work);
    this.#tail = next.catch(() => {});
    return next;
  }

  /**
   * The listing (newest first) and the runs `select` picks from it, from the cache when the file is unchanged;
   * null when there is no store (or it is busy in another process and nothing was read before).
   */
  read(select: (listing: RunListing[]) => string[]): Promise<{ listing: RunListing[]; runs: RunRecord[] } | null> {
    return this.#exclusive(async () => {
      const version = await fileVersion(this.path);
      if (version === null) {
        this.#snapshot = null;
        return null;
      }
      let store: RunStore | null = null;
      const open = async (): Promise<RunStore> => {
        this.opens += 1;
        store = await openStore(this.path, { readOnly: true, busyWaitMs: readWaitMs });
        return store;
      };
      try {
        let snapshot = this.#snapshot;
        if (snapshot === null || snapshot.version !== version) {
          snapshot = { version, listing: await (await open()).listRuns(), runs: new Map() };
        }
        const ids = select(snapshot.listing);
        const missing = ids.filter((id) => !snapshot.runs.has(id));
        if (missing.length > 0) {
          const opened = store ?? (await open());
          for (const id of missing) snapshot.runs.set(id, await opened.getRun(id, { cycles: false }));
        }
        this.#snapshot = snapshot;
        return { listing: snapshot.listing, runs: ids.map((id) => snapshot.runs.get(id)).filter((run): run is RunRecord => run !== undefined) };
      } catch (error) {
        if (error instanceof KeyscopeError && error.code === ErrorCodes.storeNotFound) return null;
        if (!heldByAnotherProcess(error)) throw error;
        // A bench is saving: show what was read last (if those runs were read), else no bench data.
        const last = this.#snapshot;
        if (last === null) return null;
        const ids = select(last.listing);
        return { listing: last.listing, runs: ids.map((id) => last.runs.get(id)).filter((run): run is RunRecord => run !== undefined) };
      } finally {
        await (store as RunStore | null)?.close();
      }
    });
  }

  /**
   * A read-only RunStore over this reader for code that takes one (recommend()): listRuns and getRun go through
   * the mutex and the cache; null when there is no store to read.
   */
  async view(): Promise<RunStore | null> {
    const first = await this.read(() => []);
    if (first === null) return null;
    const refused = () => Promise.reject(new KeyscopeError(ErrorCodes.storeClosed, `the dashboard reads ${this.path} read-only`));
    return {
      path: this.path,
      schemaVersion: 0,
      listRuns: async () => (await this.read(() => []))?.listing ?? [],
      findRuns: refused,
      findRunOverviews: refused,
      getRun: async (id) => (await this.read(() => [id]))?.runs[0],
      saveRun: refused,
      deleteRun: refused,
      exportRun: refused,
      importRun: refused,
      close: () => Promise.resolve(),
    };
  }
}
