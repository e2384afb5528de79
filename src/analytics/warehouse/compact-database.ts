/**
 * Rewrites the analytics database into a fresh file, so that deleted events are really gone from the disk.
 * DuckDB marks deleted rows and freed blocks but does not wipe them: the old bytes stay in the file until the
 * space is reused. COPY FROM DATABASE writes only the live rows to a new file, which is synced and renamed
 * over the old one. A crash before the rename leaves the old file whole (and a stray .compact file); after
 * it, the new file is complete. The caller's handle keeps the old inode and must be closed afterwards.
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname } from 'node:path';

import { type DuckDBConnection } from '@duckdb/node-api';

import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { keepPrivate } from '../../files/index.js';

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Copies the live data of `connection`'s database at `path` to a new file and renames it over `path`. */
export async function compactDatabase(connection: DuckDBConnection, path: string): Promise<void> {
  const source = String((await connection.runAndReadAll('SELECT current_database()')).getRowsJS()[0]![0]);
  const target = `${path}.compact-${randomBytes(4).toString('hex')}`;
  const alias = `compact_${randomBytes(4).toString('hex')}`;
  await connection.run('CHECKPOINT');
  try {
    await connection.run(`ATTACH ${sqlString(target)} AS ${alias}`);
    try {
      await connection.run(`COPY FROM DATABASE "${source.replace(/"/g, '""')}" TO ${alias}`);
      await connection.run(`CHECKPOINT ${alias}`);
    } finally {
      await connection.run(`DETACH ${alias}`);
    }
    // DETACH checkpoints: a write-ahead log left behind would hold data the renamed file lacks.
    if (existsSync(`${target}.wal`)) throw new Error('the copy left a write-ahead log behind');
    fsyncPath(target, 'r');
    // The copy is a new file DuckDB created with the umask; it replaces the private database.
    keepPrivate(target);
    renameSync(target, path);
    try {
      fsyncPath(dirname(path), 'r');
    } catch {
      // Some file systems refuse to sync a directory; the rename is still atomic.
    }
  } catch (error) {
    rmSync(target, { force: true });
    rmSync(`${target}.wal`, { force: true });
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new KeyscopeError(ErrorCodes.fileWrite, `cannot rewrite ${basename(path)} without the deleted events (${reason}); the events are deleted but their bytes may remain until the next delete`, { cause: error });
  }
}
