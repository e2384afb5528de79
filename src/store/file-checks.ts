/**
 * Looks at the store path before DuckDB is allowed near it. DuckDB opens whatever file it is given and, for a
 * writable open, may start writing to it; a store path that holds someone's SQLite database or a text file
 * must come back untouched. So the path is read here, with plain reads only: a DuckDB file carries "DUCK" at
 * byte 8 of its first header block, and anything else is refused.
 */
import { open, stat } from 'node:fs/promises';

import { ErrorCodes } from '../core/index.js';
import { StoreError } from './store-error.js';

/** DuckDB's main header: an 8-byte checksum, then the magic, in a 4 KiB block followed by two more headers. */
const duckdbMagic = Buffer.from('DUCK');
const magicOffset = 8;
const headerBytes = 3 * 4096;

/** Formats a stranger is likely to point the store at, named in the message so the mistake is obvious. */
const knownFormats: readonly { name: string; magic: Buffer; offset: number }[] = [
  { name: 'a SQLite database', magic: Buffer.from('SQLite format 3\0'), offset: 0 },
  { name: 'a Parquet file', magic: Buffer.from('PAR1'), offset: 0 },
];

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function unreadable(path: string, error: unknown): StoreError {
  const code = errnoOf(error);
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error));
  return new StoreError(ErrorCodes.storeIo, `cannot read keyscope store ${path}: ${reason}`, { cause: error });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function describeForeign(head: Buffer): string {
  if (head.length === 0) return 'an empty file';
  for (const format of knownFormats) {
    if (head.subarray(format.offset, format.offset + format.magic.length).equals(format.magic)) return format.name;
  }
  return 'a file of another kind (no DuckDB header)';
}

/**
 * 'absent' when nothing is at `path` (a new store may be created there), 'duckdb' when it holds a DuckDB file
 * worth opening read-only; throws KS_STORE_FOREIGN or KS_STORE_CORRUPT otherwise. Never writes.
 */
export async function inspectStoreFile(path: string): Promise<'absent' | 'duckdb'> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw unreadable(path, error);
    // A write-ahead log without its database is the remains of a deleted store: DuckDB would replay it into
    // the new file, resurrecting part of an old store, so it is left for the user to move away.
    if (await exists(`${path}.wal`).catch(() => false)) {
      throw new StoreError(
        ErrorCodes.storeCorrupt,
        `keyscope store ${path} does not exist but its write-ahead log ${path}.wal does; move the .wal file away to start a new store`,
      );
    }
    return 'absent';
  }
  if (info.isDirectory()) {
    throw new StoreError(ErrorCodes.storeForeign, `keyscope store ${path} is a directory, not a keyscope store`);
  }
  if (!info.isFile()) {
    throw new StoreError(ErrorCodes.storeForeign, `keyscope store ${path} is not a regular file, not a keyscope store`);
  }
  let head;
  try {
    head = await readHead(path, headerBytes);
  } catch (error) {
    throw unreadable(path, error);
  }
  if (!head.subarray(magicOffset, magicOffset + duckdbMagic.length).equals(duckdbMagic)) {
    throw new StoreError(
      ErrorCodes.storeForeign,
      `${path} is ${describeForeign(head)}, not a keyscope store; it was not modified`,
    );
  }
  if (head.length < headerBytes) {
    throw new StoreError(
      ErrorCodes.storeCorrupt,
      `keyscope store ${path} is corrupt (truncated to ${head.length} bytes, shorter than DuckDB's headers); it was not modified`,
    );
  }
  return 'duckdb';
}
