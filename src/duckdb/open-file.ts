/**
 * Opening a DuckDB file with one connection, the only way keyscope makes DuckDB instances. DuckDB lets one
 * process write a file (and nobody else read it meanwhile), or many read it, so keyscope's commands take turns:
 * an open that finds the file held by another process retries with a short backoff until its deadline, then
 * throws DuckDB's lock error for its caller to name the holder (isLockHeld, lockHolder in errors.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

import { isLockHeld } from './errors.js';

/** The first retry comes soon (most holds are a query of tens of ms), later ones less often. */
const firstRetryMs = 10;
const maxRetryMs = 200;

export type AccessMode = 'READ_ONLY' | 'READ_WRITE';

export interface DuckDBFile {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Closes the connection and the instance, which checkpoints a writable database and releases its lock. */
  close(): void;
}

export interface OpenDuckDBOptions {
  mode: AccessMode;
  /** Until when (a Date.now() time) another process holding the file is waited for; steps of one open share it. */
  deadline: number;
  /** DuckDB settings for the instance; they cannot change the access mode or reach for the network. */
  settings?: Readonly<Record<string, string>>;
  /** Told each time the file is found held, with DuckDB's error, before the open waits and tries again. */
  onHeld?: (error: unknown) => void;
}

async function connect(path: string, options: OpenDuckDBOptions): Promise<DuckDBFile> {
  const instance = await DuckDBInstance.create(path, {
    ...options.settings,
    access_mode: options.mode,
    // keyscope never needs an extension that is not built in (Parquet is): never download one.
    autoinstall_known_extensions: 'false',
  });
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
  } catch (error) {
    instance.closeSync();
    throw error;
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

/** Opens `path` (or ':memory:'); DuckDB's error as it is when it fails, the lock error once the deadline passed. */
export async function openDuckDB(path: string, options: OpenDuckDBOptions): Promise<DuckDBFile> {
  let retryMs = firstRetryMs;
  for (;;) {
    try {
      return await connect(path, options);
    } catch (error) {
      const left = options.deadline - Date.now();
      if (!isLockHeld(error) || left <= 0) throw error;
      options.onHeld?.(error);
      await sleep(Math.min(retryMs, left));
      retryMs = Math.min(retryMs * 2, maxRetryMs);
    }
  }
}
