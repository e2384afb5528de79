/** Opens one DuckDB database file with one connection, the only way the store touches DuckDB instances. */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

import { storeFailure } from './store-error.js';

export interface Database {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Closes the connection and the instance, which checkpoints a writable database and releases its lock. */
  close(): void;
}

export async function openDatabase(path: string, mode: 'READ_ONLY' | 'READ_WRITE', whileOpening: boolean): Promise<Database> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, {
      access_mode: mode,
      // The store never needs an extension that is not built in (Parquet is); never reach for the network.
      autoinstall_known_extensions: 'false',
    });
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
