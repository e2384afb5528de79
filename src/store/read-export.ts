/**
 * Reads an exported run without a store: `compare` and `report` take exported files (a baseline downloaded
 * from CI) as well as stored runs. Parquet needs DuckDB, so the file is read through a throwaway in-memory
 * database; nothing is written anywhere.
 */
import type { RunRecord } from '../model/index.js';
import { openDatabase } from './database.js';
import { readRunFile } from './export-import.js';

export async function readRunExport(file: string): Promise<RunRecord> {
  const database = await openDatabase(':memory:', 'READ_WRITE', false);
  try {
    return await readRunFile(database.connection, file);
  } finally {
    database.close();
  }
}
