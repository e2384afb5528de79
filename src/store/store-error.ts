/**
 * The run store's error class, and the store's reading of DuckDB's failures: the few it must act on (a lock
 * held by another process, a failed checksum, a newer storage format) each get a stable keyscope code; anything
 * else keeps DuckDB's first line inside a KS_STORE_IO message.
 */
import { type ErrorCode, ErrorCodes, KeyscopeError } from '../core/index.js';
import { duckdbReason, isLockHeld, isRefusedByFileSystem, lockHolder } from '../duckdb/index.js';

/** A store that could not be opened, read or written as asked. */
export class StoreError extends KeyscopeError {}

const corruption =
  /Corrupt database file|checksum|Could not read enough bytes|Serialization Error|INTERNAL Error|database has been invalidated|not a valid DuckDB database|Failed to read database header/i;
const newerStorage = /version number|newer version of DuckDB|storage version/i;

/**
 * Turns a DuckDB failure on the store at `path` into a StoreError. `whileOpening` is true while the store is
 * checked before use: there any failure to read it means the file is damaged, and the message says it was
 * left as it was (nothing has written to it at that point).
 */
export function storeFailure(path: string, error: unknown, whileOpening: boolean): StoreError {
  if (error instanceof StoreError) return error;
  const reason = duckdbReason(error);
  let code: ErrorCode;
  let message: string;
  if (isLockHeld(error)) {
    code = ErrorCodes.storeBusy;
    message = `keyscope store ${path} is held by ${lockHolder(error)}; try again when it finishes`;
  } else if (newerStorage.test(reason) && !corruption.test(reason)) {
    code = ErrorCodes.storeTooNew;
    message = `keyscope store ${path} was written by a newer DuckDB than this keyscope's (${reason}); it was not modified`;
  } else if (isRefusedByFileSystem(error)) {
    code = ErrorCodes.storeIo;
    message = `keyscope store ${path} cannot be used: ${reason}`;
  } else if (whileOpening || corruption.test(reason)) {
    code = ErrorCodes.storeCorrupt;
    message = `keyscope store ${path} is corrupt (${reason})${whileOpening ? '; it was not modified' : ''}`;
  } else {
    code = ErrorCodes.storeIo;
    message = `keyscope store ${path} failed: ${reason}`;
  }
  return new StoreError(code, message, { cause: error });
}
