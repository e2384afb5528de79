/**
 * A writer killed with SIGKILL mid-stream loses at most the event it was writing: every event it reported as
 * recorded (it prints its count after each one) minus at most one is in the database after ingest, and the
 * database and the spool directory still open and ingest cleanly.
 */
import { readdirSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ingestPendingSpools } from '../../src/analytics/warehouse/ingest.js';
import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { spawnSnippet, src, tempAnalyticsPaths, waitForChild } from '../support/analytics-fixtures.js';

function loopSnippet(home: string): string {
  return `
    import { createRecorder } from ${JSON.stringify(src('analytics/capture/recorder.ts'))};
    import { openNativeSpool } from ${JSON.stringify(src('analytics/capture/native-spool.ts'))};
    import { analyticsPathsIn } from ${JSON.stringify(src('analytics/events/paths.ts'))};
    import { generateKeyPairSync } from ${JSON.stringify(src('index.ts'))};
    import { writeSync } from 'node:fs';
    const paths = analyticsPathsIn(${JSON.stringify(home)});
    const consent = { scopes: new Set(['usage', 'performance']), source: 'file', noticeVersion: 1,
      installId: '3f0d6a43-7f6e-4a8e-9d38-6f1f5d2c8b11', detail: '' };
    const sessionId = '8c2b1e90-5d4f-4b7a-a1c3-2e6f9d8b7a64';
    const nativeSpool = openNativeSpool({ dir: paths.spoolDir, installId: consent.installId, sessionId, keyscopeVersion: '0.1.0', firstSegmentRecords: 128 });
    const recorder = createRecorder({ consent, paths, sessionId, nativeSpool });
    // Synchronous, so the count on the pipe never runs ahead of what was written. The pipe is a non-blocking
    // socket once anything has touched process.stdout, and each small write takes a whole socket buffer: a
    // parent slow to read (the ASan run) makes writeSync fail with EAGAIN, so wait a millisecond and retry.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    function report(text) {
      let bytes = Buffer.from(text);
      while (bytes.length > 0) {
        try {
          bytes = bytes.subarray(writeSync(1, bytes));
        } catch (error) {
          if (error.code !== 'EAGAIN') throw error;
          Atomics.wait(pause, 0, 0, 1);
        }
      }
    }
    for (let i = 1; ; i++) {
      generateKeyPairSync('ed25519').release();
      if (!recorder.record({ type: 'command', scope: 'usage', command: 'keygen', options: [], outcome: 'ok', exitCode: 0, durationMs: i })) process.exit(3);
      report(i + '\\n');
    }
  `;
}

describe('analytics after a crash', () => {
  it('keeps every reported event but at most one after SIGKILL', async () => {
    const paths = tempAnalyticsPaths();
    const child = spawnSnippet(loopSnippet(paths.home));
    const done = waitForChild(child);
    let reported = 0;
    await new Promise<void>((resolve) => {
      // A child that dies before reporting 400 events ends the wait too, and fails on its exit below.
      void done.then(() => resolve());
      child.stdout!.on('data', (chunk: Buffer) => {
        const counts = chunk.toString().trim().split('\n');
        reported = Math.max(reported, Number(counts.at(-1)));
        if (reported >= 400) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    const exit = await done;
    expect(exit.signal).toBe('SIGKILL');
    const finalReported = Math.max(reported, ...exit.stdout.trim().split('\n').map(Number));

    const db = await openAnalyticsDatabase({ paths });
    try {
      const counts = Object.fromEntries(
        (await db.connection.runAndReadAll(`SELECT type, count(*)::INTEGER FROM events GROUP BY type`)).getRowsJS().map(([type, n]) => [type, n]),
      );
      // Recorded but not yet reported when the kill came: one more is possible, never fewer than reported - 1.
      for (const type of ['command', 'api.call', 'keygen.timing']) {
        expect(counts[type]).toBeGreaterThanOrEqual(finalReported - 1);
        expect(counts[type]).toBeLessThanOrEqual(finalReported + 1);
      }
      // Everything was consumed and the dead writer's files removed; ingest again is a no-op.
      expect(readdirSync(paths.spoolDir)).toEqual([]);
      expect(await ingestPendingSpools(db)).toMatchObject({ events: 0, files: 0 });
    } finally {
      await db.close();
    }
  });
});
