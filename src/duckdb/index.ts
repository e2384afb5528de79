/** DuckDB access shared by the run store and the analytics database: opening a file, transactions, reading errors. */
export { duckdbReason, isLockHeld, isRefusedByFileSystem, lockHolder } from './errors.js';
export { type AccessMode, type DuckDBFile, openDuckDB, type OpenDuckDBOptions } from './open-file.js';
export { inTransaction } from './transaction.js';
