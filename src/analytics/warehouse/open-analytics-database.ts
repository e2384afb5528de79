/**
 * Opening analytics.duckdb, in an order that never harms a file that is not a healthy analytics database:
 *   1. claim the path in this process (DuckDB's lock is per process, not per open);
 *   2. look at the file with plain reads (database-file.ts): absent, or a DuckDB file worth opening;
 *   3. open it read-only and check it is ours (analytics_meta.schema_version); anything else is
 *      KS_ANALYTICS_CORRUPT and the file stays byte-for-byte as it was;
 *   4. open it for writing, create what is missing, ingest the pending spools, apply retention.
 * DuckDB lets one process at a time open a file for writing (and none read it meanwhile), so every open is
 * short-lived, the dashboard's too (it reopens per use: reopenAnalyticsDatabase). Another process holding it is
 * waited for (duckdb/ retries with a short backoff) for up to busyWaitMs (the caller is told once, with who holds
 * it, through onWait), then KS_ANALYTICS_BUSY naming the holder.
 */
import { mkdirSync } from 'node:fs';

import { type DuckDBConnection } from '@duckdb/node-api';

import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { type AnalyticsPaths, resolveAnalyticsPaths } from '../events/index.js';
import { keepDatabasePrivate } from '../../files/index.js';
import type { AnalyticsDatabase, OpenAnalyticsOptions } from './analytics-database.js';
import { dropOutcomeGroups } from './error-groups.js';
import { analyticsBusy, analyticsCorrupt } from './database-errors.js';
import { inspectDatabaseFile } from './database-file.js';
import { clearWaiting, markWaiting } from './waiting-marker.js';
import { type IngestResult, ingestPendingSpools } from './ingest.js';
import { applyRetention, resolveRetentionDays } from './retention.js';
import { createRollupSchema, ensureRollups } from './rollups.js';
import { analyticsSchemaVersion, createAnalyticsSchema } from './schema.js';
import { type AccessMode, type DuckDBFile, duckdbReason, inTransaction, isLockHeld, isRefusedByFileSystem, lockHolder, openDuckDB } from '../../duckdb/index.js';

/** How long a database held by another process is waited for: long enough for a dashboard's page or ingest. */
export const busyWaitMs = 5000;

/** An open database, with what the open did on the way. */
export interface OpenedAnalyticsDatabase extends AnalyticsDatabase {
  /** What ingest moved in (null when ingest was off). */
  readonly ingested: IngestResult | null;
  /** Events removed by retention. */
  readonly expired: number;
}

const openInThisProcess = new Set<string>();

/** One open's wait, shared by its read-only check and its writable open: one deadline, one notice. */
interface Wait {
  deadline: number;
  onWait: ((holder: string) => void) | undefined;
  told: boolean;
}

/** Opens the file, waiting while another process holds its lock (telling onWait once, with who holds it). */
async function openWithRetry(path: string, mode: AccessMode, wait: Wait, settings?: Readonly<Record<string, string>>): Promise<DuckDBFile> {
  let waited = false;
  const onHeld = (error: unknown) => {
    // Tell a holder that hands the file from one use to the next (the dashboard) to leave it free a moment.
    markWaiting(path);
    waited = true;
    if (!wait.told) wait.onWait?.(lockHolder(error));
    wait.told = true;
  };
  try {
    return await openDuckDB(path, { mode, deadline: wait.deadline, settings, onHeld });
  } catch (error) {
    // Still held when the wait ran out.
    if (isLockHeld(error)) throw analyticsBusy(path, error);
    throw error;
  } finally {
    if (waited) clearWaiting(path);
  }
}

/** Checks, read-only, that an existing DuckDB file is an analytics database this keyscope can use. */
async function verifyIdentity(path: string, wait: Wait): Promise<void> {
  let handle: DuckDBFile;
  try {
    handle = await openWithRetry(path, 'READ_ONLY', wait);
  } catch (error) {
    if (error instanceof KeyscopeError) throw error;
    throw analyticsCorrupt(path, `cannot be opened (${duckdbReason(error)})`, error);
  }
  try {
    const tables = (
      await handle.connection.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()`)
    ).getRowsJS().map((row) => String(row[0]));
    // An empty DuckDB file is what a first open leaves when it dies before creating the schema.
    if (tables.length === 0) return;
    if (!tables.includes('analytics_meta') || !tables.includes('event_rows')) {
      throw analyticsCorrupt(path, 'is not a keyscope analytics database');
    }
    const version = (
      await handle.connection.runAndReadAll(`SELECT value FROM analytics_meta WHERE key = 'schema_version'`)
    ).getRowsJS()[0]?.[0];
    if (version === undefined) throw analyticsCorrupt(path, 'has no schema version');
    if (Number(version) > analyticsSchemaVersion) {
      throw analyticsCorrupt(path, `was written by a newer keyscope (schema ${String(version)}, this one knows ${analyticsSchemaVersion})`);
    }
  } catch (error) {
    if (error instanceof KeyscopeError) throw error;
    throw analyticsCorrupt(path, `is damaged (${duckdbReason(error)})`, error);
  } finally {
    handle.close();
  }
}

function ensureDirectory(paths: AnalyticsPaths): void {
  try {
    mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new KeyscopeError(ErrorCodes.fileWrite, `cannot create the analytics directory ${paths.home} (${reason})`, { cause: error });
  }
}

async function createSchema(connection: DuckDBConnection): Promise<void> {
  await connection.run(createAnalyticsSchema);
  await connection.run(createRollupSchema);
  // A database from before the rollups (or from another rollupsVersion) gets them built once, from its events.
  await inTransaction(connection, () => ensureRollups(connection));
  await connection.run(`INSERT INTO analytics_meta (key, value) VALUES ('schema_version', '${analyticsSchemaVersion}') ON CONFLICT DO NOTHING`);
  await dropOutcomeGroups(connection);
}

function startWait(options: Pick<OpenAnalyticsOptions, 'busyWaitMs' | 'onWait'>): Wait {
  return { deadline: Date.now() + (options.busyWaitMs ?? busyWaitMs), onWait: options.onWait, told: false };
}

function claim(file: string): void {
  if (openInThisProcess.has(file)) {
    throw new KeyscopeError(ErrorCodes.analyticsBusy, `analytics database ${file} is already open in this process; close it first`);
  }
  openInThisProcess.add(file);
}

/** The open database handed to the caller: close() checkpoints, then releases the file (and this process's claim). */
function heldDatabase(file: string, paths: AnalyticsPaths, handle: DuckDBFile): AnalyticsDatabase {
  let closed = false;
  return {
    connection: handle.connection,
    paths,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await handle.connection.run('CHECKPOINT');
      } finally {
        handle.close();
        openInThisProcess.delete(file);
      }
    },
  };
}

/**
 * Opens again, for writing, an analytics database that this process has opened with openAnalyticsDatabase
 * before (the dashboard, per use): the file was checked and its schema made then, and its ingest and retention
 * are the caller's, so this is only the DuckDB open, waiting like any open for another process holding it.
 */
export async function reopenAnalyticsDatabase(
  paths: AnalyticsPaths,
  options: Pick<OpenAnalyticsOptions, 'busyWaitMs' | 'onWait' | 'duckdbSettings'> = {},
): Promise<AnalyticsDatabase> {
  const file = paths.database;
  claim(file);
  try {
    // A file removed or replaced since (by hand) is refused as the first open would, not recreated empty.
    if (inspectDatabaseFile(file) === 'absent') throw analyticsCorrupt(file, 'has been removed since it was opened');
    const handle = await openWithRetry(file, 'READ_WRITE', startWait(options), options.duckdbSettings);
    return heldDatabase(file, paths, handle);
  } catch (error) {
    openInThisProcess.delete(file);
    if (error instanceof KeyscopeError) throw error;
    throw analyticsCorrupt(file, `cannot be opened (${duckdbReason(error)})`, error);
  }
}

/** Opens (creating if needed) the analytics database, ingests pending spools and applies retention. */
export async function openAnalyticsDatabase(options: OpenAnalyticsOptions = {}): Promise<OpenedAnalyticsDatabase> {
  const paths = options.paths ?? resolveAnalyticsPaths();
  const now = options.now ?? Date.now;
  const file = paths.database;
  claim(file);
  let handle: DuckDBFile | null = null;
  try {
    ensureDirectory(paths);
    const wait = startWait(options);
    if (inspectDatabaseFile(file) === 'duckdb') await verifyIdentity(file, wait);
    try {
      handle = await openWithRetry(file, 'READ_WRITE', wait, options.duckdbSettings);
      keepDatabasePrivate(file);
      await createSchema(handle.connection);
    } catch (error) {
      if (error instanceof KeyscopeError) throw error;
      const reason = duckdbReason(error);
      if (isRefusedByFileSystem(error)) {
        throw new KeyscopeError(ErrorCodes.fileWrite, `analytics database ${file} cannot be written (${reason})`, { cause: error });
      }
      throw analyticsCorrupt(file, `is damaged (${reason})`, error);
    }
    const connection = handle.connection;
    const ingested = options.ingest === false ? null : await ingestPendingSpools({ connection, paths }, { now });
    const expired = await applyRetention(connection, resolveRetentionDays(paths, options.retentionDays), now());
    // The log of what ingest and retention just wrote, created with the umask.
    keepDatabasePrivate(file);
    return { ...heldDatabase(file, paths, handle), ingested, expired };
  } catch (error) {
    if (handle !== null) handle.close();
    openInThisProcess.delete(file);
    throw error;
  }
}
