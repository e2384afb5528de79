/**
 * The analytics database's failures as KeyscopeErrors with stable codes: another process holding it
 * (KS_ANALYTICS_BUSY) and a file that is not a healthy analytics database (KS_ANALYTICS_CORRUPT). DuckDB reports
 * everything as a plain Error; the run store's duckdbReason reads its first line the same way here.
 */
import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { describeLockHolder } from '../../duckdb/index.js';
import { duckdbReason } from '../../store/index.js';

/** DuckDB's message when another process holds the file's lock. */
export function isLockHeld(error: unknown): boolean {
  return /Could not set lock on file|Conflicting lock is held/i.test(duckdbReason(error));
}

/** Who holds the file, from DuckDB's lock error: "keyscope dashboard (pid 4242)", or "another process". */
export function lockHolder(error: unknown): string {
  return describeLockHolder(duckdbReason(error));
}

export function analyticsBusy(path: string, error: unknown): KeyscopeError {
  return new KeyscopeError(ErrorCodes.analyticsBusy, `analytics database ${path} is held by ${lockHolder(error)}; try again when it finishes`, {
    cause: error,
  });
}

/** A file that is not ours or is damaged; the message says it was left as it was (it always is). */
export function analyticsCorrupt(path: string, why: string, cause?: unknown): KeyscopeError {
  return new KeyscopeError(ErrorCodes.analyticsCorrupt, `analytics database ${path} ${why}; it was not modified (move it away to start a new one)`, {
    cause,
  });
}

export { duckdbReason };
