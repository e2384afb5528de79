/**
 * Async key generations append from several threads at once, so a kill -9 can leave a torn slot before slots
 * that other threads committed. A live writer's first uncommitted slot is where ingest waits; a dead writer's
 * segment is read past its torn slots, so only the records being written at the kill are lost.
 */
import { openSync, readdirSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

import { expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { openNativeSpool } from '../../src/analytics/capture/native-spool.js';
import { generateKeyPairSync } from '../../src/index.js';
import { keyscopeVersion } from '../../src/core/version.js';
import { tempAnalyticsPaths, testInstallId, testSessionId } from '../support/analytics-fixtures.js';

const headerBytes = 256;
const recordBytes = 64;

it("reads a dead writer's committed records past a torn one", async () => {
  const paths = tempAnalyticsPaths();
  const spool = openNativeSpool({ dir: paths.spoolDir, installId: testInstallId, sessionId: testSessionId, keyscopeVersion });
  spool.setScopeMask(1); // usage: one api.call record per key
  for (let i = 0; i < 10; i++) generateKeyPairSync('ed25519').release();
  spool.close(); // sealed: the writer is gone
  const [segment] = readdirSync(paths.spoolDir).filter((name) => name.startsWith('perf-'));
  // Record 3 torn: its commit word never written.
  const fd = openSync(join(paths.spoolDir, segment!), 'r+');
  writeSync(fd, Buffer.alloc(4), 0, 4, headerBytes + 3 * recordBytes);
  closeSync(fd);

  const db = await openAnalyticsDatabase({ paths });
  try {
    expect(db.ingested).toMatchObject({ events: 9, deletedFiles: 1 });
    const rows = (await db.connection.runAndReadAll("SELECT count(*) FROM events WHERE type = 'api.call'")).getRowsJS();
    expect(rows[0]![0]).toBe(9n);
  } finally {
    await db.close();
  }
});
