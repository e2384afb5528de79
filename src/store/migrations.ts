/**
 * Creating stores and bringing old ones forward. Both run the steps of schema.ts in order inside one
 * transaction, so a store is never left between two schema versions: a crash or a failing step leaves it at
 * the version it had.
 */
import { rm } from 'node:fs/promises';

import { type DuckDBConnection, INTEGER, VARCHAR } from '@duckdb/node-api';

import { ErrorCodes, FileError, InvalidArgumentError, keyscopeVersion } from '../core/index.js';
import { publishFile, temporaryPathFor } from '../files/index.js';
import { openDatabase } from './database.js';
import { currentSchemaVersion, migrations } from './schema.js';
import { StoreError, storeFailure } from './store-error.js';
import { duckdbReason, inTransaction } from '../duckdb/index.js';

function stepsBetween(from: number, to: number) {
  return migrations.filter((m) => m.version > from && m.version <= to);
}

/** Takes the store at `path` (open on `connection`) from schema version `from` to `to`, all or nothing. */
export async function migrateStore(connection: DuckDBConnection, path: string, from: number, to: number = currentSchemaVersion): Promise<void> {
  if (from >= to) return;
  try {
    await inTransaction(connection, async () => {
      for (const step of stepsBetween(from, to)) {
        for (const statement of step.statements) await connection.run(statement);
      }
      await connection.run('UPDATE keyscope_meta SET schema_version = $1', [to], [INTEGER]);
    });
  } catch (error) {
    const { code } = storeFailure(path, error, false);
    throw new StoreError(
      code,
      `keyscope store ${path} could not be migrated from schema version ${from} to ${to} (${duckdbReason(error)}); it was left at version ${from}`,
      { cause: error },
    );
  }
}

function checkVersion(version: number): void {
  if (!Number.isInteger(version) || version < 1 || version > currentSchemaVersion) {
    throw new InvalidArgumentError(
      ErrorCodes.invalidOption,
      `createStoreAtVersion: version must be a whole number from 1 to ${currentSchemaVersion} (got ${version})`,
    );
  }
}

/**
 * Builds a store at schema `version` in a temporary file beside `path` and links it into place, so that a
 * store path only ever holds a complete store: a process killed while creating one leaves at most a stray
 * temporary file, never a half-made store that the next open would have to refuse as foreign.
 * Returns false, changing nothing, when `path` appeared meanwhile.
 */
export async function createStoreFile(path: string, version: number = currentSchemaVersion): Promise<boolean> {
  checkVersion(version);
  const temporary = temporaryPathFor(path);
  try {
    const database = await openDatabase(temporary, 'READ_WRITE', false);
    try {
      await inTransaction(database.connection, async () => {
        for (const step of stepsBetween(0, version)) {
          for (const statement of step.statements) await database.connection.run(statement);
        }
        await database.connection.run(
          'INSERT INTO keyscope_meta (schema_version, created_by, created_at) VALUES ($1, $2, $3)',
          [version, `keyscope ${keyscopeVersion}`, new Date().toISOString()],
          [INTEGER, VARCHAR, VARCHAR],
        );
      });
    } catch (error) {
      throw storeFailure(path, error, false);
    } finally {
      database.close(); // checkpoints: the file is whole and its .wal gone before it is published
    }
    try {
      // Never replacing: another process's new store is left as it is.
      publishFile(temporary, path, { replace: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw storeFailure(path, error, false);
    }
    return true;
  } finally {
    await rm(temporary, { force: true });
    await rm(`${temporary}.wal`, { force: true });
  }
}

/**
 * Creates a new store at `path` at an older schema `version` (1 is the schema as first shipped), for tests
 * of migrations. Refuses a path that exists.
 */
export async function createStoreAtVersion(path: string, version: number): Promise<void> {
  if (!(await createStoreFile(path, version))) {
    throw new FileError(ErrorCodes.fileExists, `${path} exists; createStoreAtVersion only creates new stores`);
  }
}
