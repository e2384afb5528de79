/**
 * Opens one DuckDB database file with one connection, the only way the store touches DuckDB instances. DuckDB
 * lets one process write a file (and nobody else read it meanwhile), or many read it: a `bench` saving its run,
 * a `runs list` and the dashboard reading take turns, so an open that finds the file held retries with a short
 * backoff for up to waitMs before it gives KS_STORE_BUSY (naming the holder).
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

import { isStoreLockHeld, storeFailure } from './store-error.js';

/** How long an open waits for another process holding the store: a save of a run, a dashboard's read. */
export const storeBusyWaitMs = 5000;
const firstRetryMs = 10;
const maxRetryMs = 200;

export interface Database {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Closes the connection and the instance, which checkpoints a writable database and releases its lock. */
  close(): void;
}

async function createInstance(path: string, mode: 'READ_ONLY' | 'READ_WRITE', waitMs: number): Promise<DuckDBInstance> {
  const deadline = Date.now() + waitMs;
  let retryMs = firstRetryMs;
  for (;;) {
    try {
      return await DuckDBInstance.create(path, {
        access_mode: mode,
        // The store never needs an extension that is not built in (Parquet is); never reach for the network.
        autoinstall_known_extensions: 'false',
      });
    } catch (error) {
      const left = deadline - Date.now();
      if (!isStoreLockHeld(error) || left <= 0) throw error;
      await sleep(Math.min(retryMs, left));
      retryMs = Math.min(retryMs * 2, maxRetryMs);
    }
  }
}

export async function openDatabase(path: string, mode: 'READ_ONLY' | 'READ_WRITE', whileOpening: boolean, waitMs = storeBusyWaitMs): Promise<Database> {
  let instance: DuckDBInstance;
  try {
    instance = await createInstance(path, mode, waitMs);
  } catch (error) {
    throw storeFailure(path, error, whileOpening);
  }
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
  } catch (error) {
    instance.closeSync();
    throw storeFailure(path, error, whileOpening);
  }
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
