import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';

import { ErrorCodes, KeyscopeError } from '../../src/core/errors.js';
import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { analyticsSchemaVersion } from '../../src/analytics/warehouse/schema.js';
import { spawnSnippet, src, tempAnalyticsPaths, waitForChild } from '../support/analytics-fixtures.js';

async function expectCorruptAndUntouched(path: string, why: RegExp): Promise<void> {
  const before = readFileSync(path);
  const error = await openAnalyticsDatabase({ paths: { ...tempAnalyticsPaths(), database: path } }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyscopeError);
  expect((error as KeyscopeError).code).toBe(ErrorCodes.analyticsCorrupt);
  expect((error as KeyscopeError).message).toContain(path);
  expect((error as KeyscopeError).message).toMatch(why);
  expect((error as KeyscopeError).message).not.toContain('\n');
  expect(readFileSync(path).equals(before)).toBe(true);
}

describe('opening the analytics database', () => {
  it('creates a new database with its schema and version', async () => {
    const paths = tempAnalyticsPaths();
    const db = await openAnalyticsDatabase({ paths });
    const version = (await db.connection.runAndReadAll(`SELECT value FROM analytics_meta WHERE key = 'schema_version'`)).getRowsJS();
    expect(version).toEqual([[String(analyticsSchemaVersion)]]);
    await db.close();
    const again = await openAnalyticsDatabase({ paths });
    await again.close();
  });

  it('refuses a file that is not a DuckDB database, and leaves it byte-identical', async () => {
    const paths = tempAnalyticsPaths();
    mkdirSync(paths.home, { recursive: true });
    writeFileSync(paths.database, randomBytes(64 * 1024));
    await expectCorruptAndUntouched(paths.database, /not a DuckDB database/);
    writeFileSync(paths.database, 'SQLite format 3\0 and then some');
    await expectCorruptAndUntouched(paths.database, /not a DuckDB database/);
  });

  it('refuses a DuckDB database that is not ours, and one damaged past its header', async () => {
    const paths = tempAnalyticsPaths();
    mkdirSync(paths.home, { recursive: true });
    const instance = await DuckDBInstance.create(paths.database);
    const connection = await instance.connect();
    await connection.run('CREATE TABLE customers (id INTEGER, name VARCHAR); INSERT INTO customers VALUES (1, 42)');
    connection.closeSync();
    instance.closeSync();
    await expectCorruptAndUntouched(paths.database, /not a keyscope analytics database/);

    const good = tempAnalyticsPaths();
    await (await openAnalyticsDatabase({ paths: good })).close();
    const bytes = readFileSync(good.database);
    // Keep DuckDB's headers, destroy every block after them.
    randomBytes(bytes.length - 3 * 4096).copy(bytes, 3 * 4096);
    writeFileSync(good.database, bytes);
    await expectCorruptAndUntouched(good.database, /damaged|cannot be opened/);
  });

  it('refuses a database of a newer schema', async () => {
    const paths = tempAnalyticsPaths();
    const db = await openAnalyticsDatabase({ paths });
    await db.connection.run(`UPDATE analytics_meta SET value = '${analyticsSchemaVersion + 1}' WHERE key = 'schema_version'`);
    await db.close();
    await expectCorruptAndUntouched(paths.database, /newer keyscope/);
  });

  it('waits for another process holding the database, then gives KS_ANALYTICS_BUSY', async () => {
    const paths = tempAnalyticsPaths();
    await (await openAnalyticsDatabase({ paths })).close();
    const holder = spawnSnippet(`
      import { openAnalyticsDatabase } from ${JSON.stringify(src('analytics/warehouse/open-analytics-database.ts'))};
      import { analyticsPathsIn } from ${JSON.stringify(src('analytics/events/paths.ts'))};
      const db = await openAnalyticsDatabase({ paths: analyticsPathsIn(${JSON.stringify(paths.home)}) });
      process.stdout.write('holding\\n');
      setTimeout(() => void db.close(), 60_000);
    `);
    const done = waitForChild(holder);
    await new Promise<void>((resolve) => holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('holding') && resolve()));
    const waits: string[] = [];
    const started = Date.now();
    const error = await openAnalyticsDatabase({ paths, busyWaitMs: 500, onWait: (holder) => waits.push(holder) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    holder.kill('SIGKILL');
    await done;
    expect((error as KeyscopeError).code).toBe(ErrorCodes.analyticsBusy);
    // Told once, naming the holder by its pid; the error names it the same way.
    expect(waits).toEqual([`node (pid ${holder.pid})`]);
    expect((error as KeyscopeError).message).toBe(`analytics database ${paths.database} is held by node (pid ${holder.pid}); try again when it finishes`);
    // Once the holder is gone the database opens again.
    await (await openAnalyticsDatabase({ paths })).close();
  });
});
