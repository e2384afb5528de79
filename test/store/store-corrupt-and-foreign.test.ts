import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { openStore } from '../../src/store/index.js';
import { makeRun, queryStoreFile } from '../support/store-fixtures.js';

function freshPath(name = 'keyscope.duckdb'): string {
  return join(mkdtempSync(join(tmpdir(), 'keyscope-foreign-')), name);
}

interface Snapshot {
  bytes: Buffer;
  mtimeMs: number;
  entries: string[];
}

function snapshot(path: string): Snapshot {
  return { bytes: readFileSync(path), mtimeMs: statSync(path).mtimeMs, entries: readdirSync(dirname(path)).sort() };
}

/** Opening must fail with `code`, in one line naming the path, and leave the file (and its directory) as they were. */
async function expectRefused(path: string, code: string): Promise<string> {
  const before = snapshot(path);
  const error = await openStore(path).catch((e: unknown) => e);
  expect(error).toMatchObject({ code });
  const message = (error as Error).message;
  expect(message).toContain(path);
  expect(message).not.toContain('\n');
  const after = snapshot(path);
  expect(after.bytes.equals(before.bytes)).toBe(true);
  expect(after.mtimeMs).toBe(before.mtimeMs);
  expect(after.entries).toEqual(before.entries); // no .wal, no temporary file
  return message;
}

function overwrite(path: string, position: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, position);
  } finally {
    closeSync(fd);
  }
}

/** A real store with a few runs in it, closed (so checkpointed: everything is in the main file). */
async function realStore(): Promise<string> {
  const path = freshPath();
  const store = await openStore(path);
  for (let seed = 1; seed <= 3; seed++) await store.saveRun(makeRun({ seed, samples: 40_000 }));
  await store.close();
  return path;
}

describe('run store refuses foreign and corrupt files and leaves them untouched', () => {
  it('refuses a text file', async () => {
    const path = freshPath('notes.duckdb');
    writeFileSync(path, 'benchmark notes: remember to pin the CPU\n'.repeat(200));
    expect(await expectRefused(path, 'KS_STORE_FOREIGN')).toBe(
      `${path} is a file of another kind (no DuckDB header), not a keyscope store; it was not modified`,
    );
  });

  it('refuses a SQLite database', async () => {
    const path = freshPath('runs.db');
    const page = Buffer.alloc(4096);
    page.write('SQLite format 3\0', 0, 'latin1');
    page.writeUInt16BE(4096, 16);
    writeFileSync(path, Buffer.concat([page, Buffer.alloc(4096, 0x0d)]));
    expect(await expectRefused(path, 'KS_STORE_FOREIGN')).toBe(`${path} is a SQLite database, not a keyscope store; it was not modified`);
  });

  it('refuses an empty file and a directory', async () => {
    const path = freshPath();
    writeFileSync(path, '');
    expect(await expectRefused(path, 'KS_STORE_FOREIGN')).toContain('is an empty file');
    const directory = freshPath('store.duckdb');
    mkdirSync(directory);
    await expect(openStore(directory)).rejects.toMatchObject({ code: 'KS_STORE_FOREIGN' });
    expect(readdirSync(directory)).toEqual([]);
  });

  it('refuses a DuckDB database that is not a keyscope store', async () => {
    const path = freshPath('analytics.duckdb');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run("CREATE TABLE visits AS SELECT range AS id, 'page-' || range AS page FROM range(1000)");
    connection.closeSync();
    instance.closeSync();

    expect(await expectRefused(path, 'KS_STORE_FOREIGN')).toBe(
      `${path} is a DuckDB database but not a keyscope store (it has no keyscope_meta table); it was not modified`,
    );
    expect(await queryStoreFile(path, 'SELECT count(*)::INTEGER AS n FROM visits')).toEqual([{ n: 1000 }]);
  });

  it('refuses a store with bytes overwritten in the middle', async () => {
    const path = await realStore();
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (Math.imul(i, 2654435761) >>> 13) & 0xff));
    overwrite(path, Math.floor(statSync(path).size / 2), garbage);
    expect(await expectRefused(path, 'KS_STORE_CORRUPT')).toMatch(
      new RegExp(`^keyscope store ${path} is corrupt \\(.*checksum.*\\); it was not modified$`),
    );
  });

  it('refuses a store whose damage DuckDB\'s block checksum cannot see', async () => {
    // DuckDB's checksum XORs a hash of every 8-byte word, so an even run of equal words replaced by another
    // (here: 4 KiB of an all-valid NULL mask zeroed, as a lost page would be) leaves it unchanged.
    const path = await realStore();
    const [segment] = await queryStoreFile(
      path,
      `SELECT block_id, block_offset FROM pragma_storage_info('samples')
        WHERE column_name = 'cycles' AND segment_type = 'VALIDITY' AND compression = 'Uncompressed' AND row_group_id = 0`,
    );
    const blockData = 3 * 4096 + Number(segment!.block_id) * 262144 + 8; // file headers, earlier blocks, block checksum
    const at = blockData + Number(segment!.block_offset);
    expect(readFileSync(path).subarray(at, at + 4096).every((byte) => byte === 0xff)).toBe(true);
    overwrite(path, at, Buffer.alloc(4096));
    expect(await expectRefused(path, 'KS_STORE_CORRUPT')).toMatch(/is corrupt \(run 1 case 0 has \d+ cycles values, not 40000\); it was not modified$/);
  });

  it('refuses a store with a damaged header', async () => {
    const path = await realStore();
    overwrite(path, 4096 + 100, Buffer.from('garbage!')); // inside the first of DuckDB's two database headers
    await expectRefused(path, 'KS_STORE_CORRUPT');
  });

  it('refuses a truncated store, whether cut in its data or inside its headers', async () => {
    const path = await realStore();
    truncateSync(path, Math.floor(statSync(path).size * 0.6));
    expect(await expectRefused(path, 'KS_STORE_CORRUPT')).toMatch(/is corrupt \(.*\); it was not modified$/);
    truncateSync(path, 5000);
    expect(await expectRefused(path, 'KS_STORE_CORRUPT')).toBe(
      `keyscope store ${path} is corrupt (truncated to 5000 bytes, shorter than DuckDB's headers); it was not modified`,
    );
  });

  it('refuses a write-ahead log whose database is gone, rather than replaying it into a new store', async () => {
    const path = freshPath();
    writeFileSync(`${path}.wal`, Buffer.alloc(512, 1));
    const error = await openStore(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KS_STORE_CORRUPT' });
    expect((error as Error).message).toContain(`${path}.wal`);
    expect(readdirSync(dirname(path))).toEqual(['keyscope.duckdb.wal']);
  });
});
