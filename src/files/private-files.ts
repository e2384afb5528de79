/**
 * Everything keyscope keeps under $KEYSCOPE_HOME is the person's alone: files 0600, folders 0700. keyscope's own
 * writes create them so (consent, ledger, spools, saved views). DuckDB creates its database, write-ahead log,
 * temporary files and COPY outputs with the process umask (0644 as usually set) and has no setting for it, and
 * a library must not change its host's umask: so each DuckDB file is narrowed as soon as keyscope knows of it.
 * Until then it sits inside the 0700 home, where nobody else can reach it.
 */
import { chmodSync } from 'node:fs';

export const privateFileMode = 0o600;
export const privateFolderMode = 0o700;

/**
 * Narrows a file (or, with privateFolderMode, a folder) that may exist to the private mode. Best effort: a
 * file that is gone, or one the person chose to own differently, is left as it is.
 */
export function keepPrivate(path: string, mode: number = privateFileMode): void {
  try {
    chmodSync(path, mode);
  } catch {
    // Absent (a write-ahead log is only there between checkpoints), or not ours to change.
  }
}

/** The database, its write-ahead log and DuckDB's spill folder, as DuckDB leaves them after opening or writing. */
export function keepDatabasePrivate(database: string): void {
  keepPrivate(database);
  keepPrivate(`${database}.wal`);
  keepPrivate(`${database}.tmp`, privateFolderMode);
}
