/**
 * Reading DuckDB's failures. DuckDB reports every failure as a plain Error whose text starts with its kind
 * ("IO Error: ..."), so its users match the few messages they must act on; each then gives its own stable
 * keyscope code (the run store KS_STORE_*, the analytics database KS_ANALYTICS_*).
 */
import { describeLockHolder } from './lock-holder.js';

/** DuckDB's message, first line only: its "Candidate functions:" style details would break the one-line rule. */
export function duckdbReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}

/** DuckDB's error when another process holds the file's lock. */
export function isLockHeld(error: unknown): boolean {
  return /Could not set lock on file|Conflicting lock is held/i.test(duckdbReason(error));
}

/** Who holds the file, from DuckDB's lock error: "keyscope dashboard (pid 4242)", or "another process". */
export function lockHolder(error: unknown): string {
  return describeLockHolder(duckdbReason(error));
}

/** The file system refused the file (permissions, a full disk, a read-only mount): the file itself is not at fault. */
export function isRefusedByFileSystem(error: unknown): boolean {
  return /Permission denied|No space left|Read-only file system/i.test(duckdbReason(error));
}
