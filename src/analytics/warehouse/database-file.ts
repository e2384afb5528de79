/**
 * Looks at analytics.duckdb with plain reads before DuckDB opens it: DuckDB would happily open (and, for a
 * writable open, start writing to) any file, and a damaged or foreign file at this path must stay exactly as
 * it was. A DuckDB file carries "DUCK" at byte 8 and three 4 KiB header blocks.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

import { analyticsCorrupt } from './database-errors.js';

const duckdbMagic = Buffer.from('DUCK');
const magicOffset = 8;
const headerBytes = 3 * 4096;

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(headerBytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, headerBytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** 'absent' (a new database may be created) or 'duckdb' (worth opening); throws KS_ANALYTICS_CORRUPT otherwise. */
export function inspectDatabaseFile(path: string): 'absent' | 'duckdb' {
  let size: number;
  try {
    const info = statSync(path);
    if (!info.isFile()) throw analyticsCorrupt(path, 'is not a regular file');
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // A write-ahead log without its database: DuckDB would replay it into a new file and resurrect part of
    // an old database (perhaps one the user deleted on purpose).
    if (existsSync(`${path}.wal`)) throw analyticsCorrupt(`${path}.wal`, 'is a write-ahead log without its database');
    return 'absent';
  }
  let head: Buffer;
  try {
    head = readHead(path);
  } catch (error) {
    throw analyticsCorrupt(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  }
  if (!head.subarray(magicOffset, magicOffset + duckdbMagic.length).equals(duckdbMagic)) {
    throw analyticsCorrupt(path, size === 0 ? 'is an empty file' : 'is not a DuckDB database');
  }
  if (head.length < headerBytes) throw analyticsCorrupt(path, `is truncated (${size} bytes)`);
  return 'duckdb';
}
