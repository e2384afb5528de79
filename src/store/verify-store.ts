/**
 * Reads an existing store through a read-only DuckDB instance before anything opens it for writing. A
 * read-only instance never writes to the file (it replays a leftover .wal in memory only), so whatever is
 * found here, a foreign database, a newer schema or damage, the file is still exactly as it was.
 *
 * Damage is found by reading every column of every table: DuckDB checks each block's checksum as it reads
 * it, so a block overwritten or cut off anywhere in use fails here rather than in the middle of some later
 * operation; the samples are also counted against what their cases declare (see checkSamples). The cost is
 * one scan of the store: tens of nanoseconds per stored sample (bench/store.bench.ts prints it).
 */
import { type DuckDBConnection } from '@duckdb/node-api';

import { ErrorCodes, keyscopeVersion } from '../core/index.js';
import { openDatabase } from './database.js';
import { currentSchemaVersion, storeTables } from './schema.js';
import { StoreError, storeFailure } from './store-error.js';

export interface StoreIdentity {
  schemaVersion: number;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function readIdentity(path: string, connection: DuckDBConnection): Promise<StoreIdentity> {
  const tables = (
    await connection.runAndReadAll(
      `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'`,
    )
  )
    .getRowObjectsJS()
    .map((row) => String(row.table_name));
  if (!tables.includes('keyscope_meta')) {
    throw new StoreError(
      ErrorCodes.storeForeign,
      `${path} is a DuckDB database but not a keyscope store (it has no keyscope_meta table); it was not modified`,
    );
  }
  const rows = (await connection.runAndReadAll('SELECT schema_version FROM keyscope_meta')).getRowObjectsJS();
  const row = rows[0];
  if (rows.length !== 1 || !row || typeof row.schema_version !== 'number' || row.schema_version < 1) {
    throw new StoreError(ErrorCodes.storeCorrupt, `keyscope store ${path} is corrupt (its keyscope_meta table is not one valid row); it was not modified`);
  }
  const identity = { schemaVersion: row.schema_version };
  if (identity.schemaVersion > currentSchemaVersion) {
    throw new StoreError(
      ErrorCodes.storeTooNew,
      `keyscope store ${path} has schema version ${identity.schemaVersion}, newer than keyscope ${keyscopeVersion} reads ` +
        `(up to ${currentSchemaVersion}); upgrade keyscope to use it (it was not modified)`,
    );
  }
  const missing = storeTables.filter((table) => !tables.includes(table));
  if (missing.length > 0) {
    throw new StoreError(ErrorCodes.storeCorrupt, `keyscope store ${path} is corrupt (missing table ${missing.join(', ')}); it was not modified`);
  }
  return identity;
}

type ColumnsByTable = Map<string, string[]>;

async function columnsByTable(connection: DuckDBConnection): Promise<ColumnsByTable> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT table_name, column_name FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index`,
    )
  ).getRowObjectsJS();
  const columns: ColumnsByTable = new Map();
  for (const row of rows) {
    const table = String(row.table_name);
    columns.set(table, [...(columns.get(table) ?? []), String(row.column_name)]);
  }
  return columns;
}

async function readEveryBlock(connection: DuckDBConnection, columns: ColumnsByTable): Promise<void> {
  for (const table of storeTables) {
    if (table === 'samples') continue; // read by checkSamples
    // hash() needs each value; min/max or count could be answered from block statistics without reading.
    const reads = (columns.get(table) ?? []).map((name) => `bit_xor(hash(${quoteIdentifier(name)}))`).join(', ');
    await connection.run(`SELECT ${reads} FROM ${quoteIdentifier(table)}`);
  }
}

/**
 * Reads every sample value, and checks each case's rows against the series lengths its case row declares.
 * The second half is not redundant: DuckDB's block checksum XORs a hash of each 8-byte word, so a run of
 * identical words overwritten by another run of identical words of even length (an all-valid NULL mask
 * zeroed, say) leaves the checksum unchanged. Counting the non-NULL values of each series catches that.
 */
async function checkSamples(path: string, connection: DuckDBConnection, columns: ColumnsByTable): Promise<void> {
  const has = (table: string, column: string) => columns.get(table)?.includes(column) ?? false;
  const series = ['ns', 'cycles', 'candidates'].filter((name) => has('samples', name) && has('cases', `${name}_count`));
  const perCase = series.map((name) => `count(${name})::DOUBLE AS ${name}, bit_xor(hash(${name})) AS ${name}_hash`).join(', ');
  const rows = (
    await connection.runAndReadAll(
      `SELECT run_key, case_ordinal, count(*)::DOUBLE AS row_count, min(seq)::DOUBLE AS first, max(seq)::DOUBLE AS last, ${perCase}
         FROM samples GROUP BY run_key, case_ordinal`,
    )
  ).getRowObjectsJS();
  const declared = (
    await connection.runAndReadAll(
      `SELECT run_key, ordinal, ${series.map((name) => `${name}_count::DOUBLE AS ${name}`).join(', ')} FROM cases WHERE state = 'completed'`,
    )
  ).getRowObjectsJS();
  const expected = new Map(declared.map((row) => [`${row.run_key}/${row.ordinal}`, row]));
  const corrupt = (reason: string) =>
    new StoreError(ErrorCodes.storeCorrupt, `keyscope store ${path} is corrupt (${reason}); it was not modified`);
  for (const row of rows) {
    const where = `run ${row.run_key} case ${row.case_ordinal}`;
    const declaredRow = expected.get(`${row.run_key}/${row.case_ordinal}`);
    if (!declaredRow) throw corrupt(`samples of ${where}, which has none`);
    expected.delete(`${row.run_key}/${row.case_ordinal}`);
    const lengths = series.map((name) => (declaredRow[name] === null ? 0 : Number(declaredRow[name])));
    const rowCount = Math.max(...lengths);
    if (row.row_count !== rowCount || row.first !== 0 || row.last !== rowCount - 1) {
      throw corrupt(`${where} has ${row.row_count} sample rows, not ${rowCount}`);
    }
    series.forEach((name, i) => {
      if (row[name] !== lengths[i]) throw corrupt(`${where} has ${row[name]} ${name} values, not ${lengths[i]}`);
    });
  }
  const missing = [...expected.values()].find((row) => series.some((name) => row[name] !== null && Number(row[name]) > 0));
  if (missing) throw corrupt(`run ${missing.run_key} case ${missing.ordinal} has lost its samples`);
}

/** The identity of a store already open (read-only opens check this much and leave block checks to DuckDB's reads). */
export async function readStoreIdentity(path: string, connection: DuckDBConnection): Promise<StoreIdentity> {
  try {
    return await readIdentity(path, connection);
  } catch (error) {
    throw storeFailure(path, error, true);
  }
}

/** The store's identity, once its header, catalog and every data block have been read without error. */
export async function verifyStore(path: string, busyWaitMs?: number): Promise<StoreIdentity> {
  const database = await openDatabase(path, 'READ_ONLY', true, busyWaitMs);
  try {
    const identity = await readIdentity(path, database.connection);
    const columns = await columnsByTable(database.connection);
    await readEveryBlock(database.connection, columns);
    await checkSamples(path, database.connection, columns);
    return identity;
  } catch (error) {
    throw storeFailure(path, error, true);
  } finally {
    database.close();
  }
}
