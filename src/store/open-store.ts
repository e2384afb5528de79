/**
 * Opening a store, in an order that keeps every file that is not a healthy keyscope store exactly as it was:
 *   1. claim the path in this process (DuckDB's file lock does not stop a second open from the same process);
 *   2. look at the file with plain reads: absent (create a store), foreign, truncated (file-checks.ts);
 *   3. read it all through a read-only DuckDB instance: not a keyscope store, newer schema, damage
 *      (verify-store.ts); another process holding it shows up here as KS_STORE_BUSY;
 *   4. only then open it for writing, and bring an older schema forward in one transaction.
 */
import { mkdir, realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { z } from 'zod';

import { describeValue, ErrorCodes, InvalidArgumentError, parseOptions } from '../core/index.js';
import { type Database, openDatabase, storeBusyWaitMs } from './database.js';
import { inspectStoreFile } from './file-checks.js';
import { createStoreFile, migrateStore } from './migrations.js';
import { type RunStore, DuckDBRunStore } from './run-store.js';
import { currentSchemaVersion, sampleColumns } from './schema.js';
import { StoreError, storeFailure } from './store-error.js';
import { readStoreIdentity, verifyStore } from './verify-store.js';

export interface OpenStoreOptions {
  /** Create the store (and its directory) when the path does not exist. Default true; false gives KS_STORE_NOT_FOUND. */
  create?: boolean;
  /**
   * Open for reading only (compare, report, runs list|show): never creates, never migrates, writes fail with
   * KS_STORE_READ_ONLY. It skips the full read of every block that a writable open does first (its cost grows
   * with the store): DuckDB still checks each block's checksum as a run is read, and loading a run checks every
   * sample against its case's lengths, so damage still ends in KS_STORE_CORRUPT, just later. A store of an
   * older schema is opened the writable way, to migrate it.
   */
  readOnly?: boolean;
  /** How long to wait for another process that holds the store (default storeBusyWaitMs, 5 s), then KS_STORE_BUSY. */
  busyWaitMs?: number;
}

/**
 * Store files open in this process. Two DuckDB instances on one file in one process would each believe they
 * own it (the OS lock DuckDB takes is per process) and overwrite each other's writes.
 */
const openInThisProcess = new Set<string>();

/** Marks `path` (known as `key`, its real path) open in this process; returns the release. */
function claim(path: string, key: string): () => void {
  if (openInThisProcess.has(key)) {
    throw new StoreError(ErrorCodes.storeBusy, `keyscope store ${path} is already open in this process; close it before opening it again`);
  }
  openInThisProcess.add(key);
  let released = false;
  return () => {
    if (!released) openInThisProcess.delete(key);
    released = true;
  };
}

async function createIfAbsent(path: string, create: boolean): Promise<void> {
  if ((await inspectStoreFile(path)) === 'duckdb') return;
  if (!create) throw new StoreError(ErrorCodes.storeNotFound, `keyscope store ${path} does not exist`);
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw storeFailure(path, error, false);
  }
  // false: another process created it meanwhile, which is as good; it is checked like any existing store.
  await createStoreFile(path);
  await inspectStoreFile(path);
}

/** The sample appender writes columns by position, so their order is checked once per open. */
async function checkSampleColumns(path: string, database: Database): Promise<void> {
  const rows = (
    await database.connection.runAndReadAll(
      `SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND table_name = 'samples' ORDER BY column_index`,
    )
  ).getRowObjectsJS();
  const actual = rows.map((row) => String(row.column_name));
  if (actual.join(',') !== sampleColumns.join(',')) {
    throw new StoreError(ErrorCodes.storeCorrupt, `keyscope store ${path} is corrupt (samples has columns ${actual.join(', ')})`);
  }
}

const openOptionsSchema = z.strictObject({
  create: z.boolean({ error: 'must be true or false' }).optional(),
  readOnly: z.boolean({ error: 'must be true or false' }).optional(),
  busyWaitMs: z.number({ error: 'must be a number of milliseconds' }).int({ error: 'must be a whole number of milliseconds' }).min(0, { error: 'must be 0 or more' }).optional(),
});

/** The read-only open; null when the store has an older schema and must be migrated first. */
async function openReadOnly(file: string, release: () => void, waitMs: number): Promise<RunStore | null> {
  const database = await openDatabase(file, 'READ_ONLY', true, waitMs);
  try {
    const identity = await readStoreIdentity(file, database.connection);
    if (identity.schemaVersion !== currentSchemaVersion) {
      database.close();
      return null;
    }
    await checkSampleColumns(file, database);
  } catch (error) {
    database.close();
    throw storeFailure(file, error, true);
  }
  return new DuckDBRunStore(file, currentSchemaVersion, database, release, { readOnly: true });
}

/** Opens (creating if needed) the keyscope store at `path`. */
export async function openStore(path: string, options: OpenStoreOptions = {}): Promise<RunStore> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `openStore: path must be a non-empty string (got ${describeValue(path)})`);
  }
  const { readOnly = false, busyWaitMs = storeBusyWaitMs } = parseOptions(openOptionsSchema, options, 'openStore');
  const create = readOnly ? false : (options.create ?? true);
  const file = resolve(path);
  // Claimed under its real path, so that a symlink or a second spelling of the same file is caught too.
  const release = claim(file, await realpath(file).catch(() => file));
  try {
    await createIfAbsent(file, create);
    if (readOnly) {
      const store = await openReadOnly(file, release, busyWaitMs);
      if (store) return store;
    }
    const identity = await verifyStore(file, busyWaitMs);
    const database = await openDatabase(file, 'READ_WRITE', false, busyWaitMs);
    try {
      await migrateStore(database.connection, file, identity.schemaVersion, currentSchemaVersion);
      await checkSampleColumns(file, database);
    } catch (error) {
      database.close();
      throw storeFailure(file, error, false);
    }
    return new DuckDBRunStore(file, currentSchemaVersion, database, release);
  } catch (error) {
    release();
    throw error;
  }
}
