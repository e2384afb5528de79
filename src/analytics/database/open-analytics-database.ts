/**
 * Opening analytics.duckdb, in an order that never harms a file that is not a healthy analytics database:
 *   1. claim the path in this process (DuckDB's lock is per process, not per open);
 *   2. look at the file with plain reads (database-file.ts): absent, or a DuckDB file worth opening;
 *   3. open it read-only and check it is ours (analytics_meta.schema_version); anything else is
 *      KS_ANALYTICS_CORRUPT and the file stays byte-for-byte as it was;
 *   4. open it for writing, create what is missing, ingest the pending spools, apply retention.
 * Another process holding it (an ingest, the dashboard) is waited for up to about 2 s, then KS_ANALYTICS_BUSY.
 */
import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

import { ErrorCodes, KeyscopeError } from '../../errors.js';
import { resolveAnalyticsPaths } from '../paths.js';
import type { AnalyticsDatabase, AnalyticsPaths, OpenAnalyticsOptions } from '../types.js';
import { analyticsBusy, analyticsCorrupt, duckdbReason, isLockHeld } from './database-errors.js';
import { inspectDatabaseFile } from './database-file.js';
import { type IngestResult, ingestPendingSpools } from './ingest.js';
import { applyRetention, resolveRetentionDays } from './retention.js';
import { createRollupSchema, ensureRollups } from './rollups.js';
import { analyticsSchemaVersion, createAnalyticsSchema } from './schema.js';
import { inTransaction } from '../../store/transaction.js';

/** How long a database held by another process is waited for. */
export const busyWaitMs = 2000;
const retryEveryMs = 50;

/** An open database, with what the open did on the way. */
export interface OpenedAnalyticsDatabase extends AnalyticsDatabase {
  /** What ingest moved in (null when ingest was off). */
  readonly ingested: IngestResult | null;
  /** Events removed by retention. */
  readonly expired: number;
}

const openInThisProcess = new Set<string>();

interface Handle {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
}

function closeHandle(handle: Handle): void {
  handle.connection.closeSync();
  handle.instance.closeSync();
}

/** Opens the file, retrying while another process holds its lock. */
async function openWithRetry(path: string, mode: 'READ_ONLY' | 'READ_WRITE', waitMs: number, settings: Readonly<Record<string, string>> = {}): Promise<Handle> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const instance = await DuckDBInstance.create(path, { ...settings, access_mode: mode, autoinstall_known_extensions: 'false' });
      try {
        return { instance, connection: await instance.connect() };
      } catch (error) {
        instance.closeSync();
        throw error;
      }
    } catch (error) {
      if (!isLockHeld(error)) throw error;
      if (Date.now() >= deadline) throw analyticsBusy(path, error);
      await sleep(retryEveryMs);
    }
  }
}

/** Checks, read-only, that an existing DuckDB file is an analytics database this keyscope can use. */
async function verifyIdentity(path: string, waitMs: number): Promise<void> {
  let handle: Handle;
  try {
    handle = await openWithRetry(path, 'READ_ONLY', waitMs);
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
    closeHandle(handle);
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
}

/** Opens (creating if needed) the analytics database, ingests pending spools and applies retention. */
export async function openAnalyticsDatabase(options: OpenAnalyticsOptions = {}): Promise<OpenedAnalyticsDatabase> {
  const paths = options.paths ?? resolveAnalyticsPaths();
  const now = options.now ?? Date.now;
  const file = paths.database;
  if (openInThisProcess.has(file)) {
    throw new KeyscopeError(ErrorCodes.analyticsBusy, `analytics database ${file} is already open in this process; close it first`);
  }
  openInThisProcess.add(file);
  let handle: Handle | null = null;
  try {
    ensureDirectory(paths);
    const waitMs = options.busyWaitMs ?? busyWaitMs;
    if (inspectDatabaseFile(file) === 'duckdb') await verifyIdentity(file, waitMs);
    try {
      handle = await openWithRetry(file, 'READ_WRITE', waitMs, options.duckdbSettings);
      await createSchema(handle.connection);
    } catch (error) {
      if (error instanceof KeyscopeError) throw error;
      const reason = duckdbReason(error);
      if (/Permission denied|Read-only file system|No space left/i.test(reason)) {
        throw new KeyscopeError(ErrorCodes.fileWrite, `analytics database ${file} cannot be written (${reason})`, { cause: error });
      }
      throw analyticsCorrupt(file, `is damaged (${reason})`, error);
    }
    const connection = handle.connection;
    const ingested = options.ingest === false ? null : await ingestPendingSpools({ connection, paths }, { now });
    const expired = await applyRetention(connection, resolveRetentionDays(paths, options.retentionDays), now());
    const opened = handle;
    let closed = false;
    return {
      connection,
      paths,
      ingested,
      expired,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await connection.run('CHECKPOINT');
        } finally {
          closeHandle(opened);
          openInThisProcess.delete(file);
        }
      },
    };
  } catch (error) {
    if (handle !== null) closeHandle(handle);
    openInThisProcess.delete(file);
    throw error;
  }
}
