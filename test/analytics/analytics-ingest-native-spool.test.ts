/**
 * The binary performance spool goes through the same exactly-once ingest: records written by the addon while
 * the recorder's consent allows them, across segment rollovers, ingested once, files deleted once sealed.
 */
import { readdirSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ingestPendingSpools } from '../../src/analytics/warehouse/ingest.js';
import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { createRecorder } from '../../src/analytics/capture/recorder.js';
import { openNativeSpool } from '../../src/analytics/capture/native-spool.js';
import { generateKeyPairSync } from '../../src/index.js';
import { keyscopeVersion } from '../../src/core/version.js';
import { consentFor, sampleEvents, tempAnalyticsPaths, testInstallId, testSessionId } from '../support/analytics-fixtures.js';

describe('ingest of the native performance spool', () => {
  it('ingests every committed record exactly once, both kinds of spool together', async () => {
    const paths = tempAnalyticsPaths();
    const nativeSpool = openNativeSpool({ dir: paths.spoolDir, installId: testInstallId, sessionId: testSessionId, keyscopeVersion, firstSegmentRecords: 64 });
    const recorder = createRecorder({ consent: consentFor(['usage', 'performance']), paths, sessionId: testSessionId, nativeSpool });
    const keys = 150;
    for (let i = 0; i < keys; i++) generateKeyPairSync('ed25519').release();
    recorder.record(sampleEvents.command);
    recorder.setConsent(consentFor([]));
    for (let i = 0; i < 10; i++) generateKeyPairSync('ed25519').release(); // not recorded: consent withdrawn
    recorder.setConsent(consentFor(['usage', 'performance']));

    const db = await openAnalyticsDatabase({ paths, ingest: false });
    try {
      const first = await ingestPendingSpools(db);
      expect(first.events).toBe(2 * keys + 1);
      // The live segment is kept (its writer goes on); the full, sealed ones are gone.
      expect(readdirSync(paths.spoolDir).filter((name) => name.startsWith('perf-')).length).toBe(1);
      for (let i = 0; i < 5; i++) generateKeyPairSync('ed25519').release();
      recorder.close();
      const second = await ingestPendingSpools(db);
      expect(second.events).toBe(10);
      expect(await ingestPendingSpools(db)).toMatchObject({ events: 0, files: 0 });
      const rows = (
        await db.connection.runAndReadAll(
          `SELECT type, operation, algorithm, count(*)::INTEGER AS n, count(duration_ns)::INTEGER AS timed FROM events GROUP BY ALL ORDER BY type`,
        )
      ).getRowObjectsJS();
      expect(rows).toEqual([
        { type: 'api.call', operation: 'generateKeyPairSync', algorithm: 'ed25519', n: keys + 5, timed: 0 },
        { type: 'command', operation: 'keygen', algorithm: 'ed25519', n: 1, timed: 1 },
        { type: 'keygen.timing', operation: 'generateKeyPairSync', algorithm: 'ed25519', n: keys + 5, timed: keys + 5 },
      ]);
      expect(readdirSync(paths.spoolDir)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
