/**
 * The analytics database's failures as KeyscopeErrors with stable codes: another process holding it
 * (KS_ANALYTICS_BUSY) and a file that is not a healthy analytics database (KS_ANALYTICS_CORRUPT).
 */
import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { lockHolder } from '../../duckdb/index.js';

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
