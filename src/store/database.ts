/**
 * Opens the store's DuckDB file (through duckdb/, which waits for another process holding it), turning any
 * failure into a StoreError: KS_STORE_BUSY naming the holder once the wait (storeBusyWaitMs unless the caller gives another) has passed.
 */
import { type AccessMode, type DuckDBFile, openDuckDB } from '../duckdb/index.js';
import { storeFailure } from './store-error.js';

/** How long an open waits for another process holding the store: a save of a run, a dashboard's read. */
export const storeBusyWaitMs = 5000;

export type Database = DuckDBFile;

export async function openDatabase(path: string, mode: AccessMode, whileOpening: boolean, waitMs = storeBusyWaitMs): Promise<Database> {
  try {
    return await openDuckDB(path, { mode, deadline: Date.now() + waitMs });
  } catch (error) {
    throw storeFailure(path, error, whileOpening);
  }
}
