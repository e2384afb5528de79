/**
 * Eight processes record at once (JSONL through the recorder, binary through the native spool, with segment
 * rollovers) while a ninth holds the database and ingests in a loop. No process waits for another, and
 * afterwards every event is in the database exactly once.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { spawnSnippet, src, tempAnalyticsPaths, waitForChild } from '../support/analytics-fixtures.js';

const writers = 8;
const perWriter = 250;

function writerSnippet(home: string, index: number): string {
  return `
    import { createRecorder } from ${JSON.stringify(src('analytics/capture/recorder.ts'))};
    import { openNativeSpool } from ${JSON.stringify(src('analytics/capture/native-spool.ts'))};
    import { analyticsPathsIn } from ${JSON.stringify(src('analytics/events/paths.ts'))};
    import { generateKeyPairSync } from ${JSON.stringify(src('index.ts'))};
    const paths = analyticsPathsIn(${JSON.stringify(home)});
    const consent = { scopes: new Set(['usage', 'performance', 'errors', 'security']), source: 'file', noticeVersion: 1,
      installId: '3f0d6a43-7f6e-4a8e-9d38-6f1f5d2c8b11', detail: '' };
    const sessionId = '00000000-0000-4000-8000-00000000000${index}';
    const nativeSpool = openNativeSpool({ dir: paths.spoolDir, installId: consent.installId, sessionId, keyscopeVersion: '0.1.0', firstSegmentRecords: 64, maxSegmentRecords: 256 });
    const recorder = createRecorder({ consent, paths, sessionId, nativeSpool, onWarning: (line) => console.error(line) });
    let recorded = 0;
    for (let i = 0; i < ${perWriter}; i++) {
      generateKeyPairSync('ed25519').release();
      if (recorder.record({ type: 'command', scope: 'usage', command: 'keygen', options: [], outcome: 'ok', exitCode: 0, durationMs: i })) recorded++;
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    recorder.close();
    process.stdout.write('recorded ' + recorded + '\\n');
  `;
}

function ingesterSnippet(home: string, stopFile: string): string {
  return `
    import { existsSync } from 'node:fs';
    import { openAnalyticsDatabase } from ${JSON.stringify(src('analytics/warehouse/open-analytics-database.ts'))};
    import { ingestPendingSpools } from ${JSON.stringify(src('analytics/warehouse/ingest.ts'))};
    import { analyticsPathsIn } from ${JSON.stringify(src('analytics/events/paths.ts'))};
    const db = await openAnalyticsDatabase({ paths: analyticsPathsIn(${JSON.stringify(home)}) });
    process.stdout.write('holding\\n');
    let rounds = 0;
    let events = 0;
    while (!existsSync(${JSON.stringify(stopFile)})) {
      events += (await ingestPendingSpools(db)).events;
      rounds++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await db.close();
    process.stdout.write('rounds ' + rounds + ' events ' + events + '\\n');
  `;
}

describe('analytics under concurrency', () => {
  it('8 writers and a looping ingester: every event exactly once', async () => {
    const paths = tempAnalyticsPaths();
    const stopFile = join(paths.home, 'stop');
    const ingester = spawnSnippet(ingesterSnippet(paths.home, stopFile));
    const ingesterDone = waitForChild(ingester);
    await new Promise<void>((resolve) => ingester.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('holding') && resolve()));

    const results = await Promise.all(Array.from({ length: writers }, (_, i) => waitForChild(spawnSnippet(writerSnippet(paths.home, i)))));
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(`recorded ${perWriter}`);
    }
    writeFileSync(stopFile, '');
    const ingested = await ingesterDone;
    expect(ingested.code).toBe(0);
    const [, rounds, events] = /rounds (\d+) events (\d+)/.exec(ingested.stdout) ?? [];
    expect(Number(rounds)).toBeGreaterThan(1);
    // The looping ingester took part of the events while the writers were still writing.
    expect(Number(events)).toBeGreaterThan(0);

    const db = await openAnalyticsDatabase({ paths });
    try {
      const rows = (
        await db.connection.runAndReadAll(`SELECT type, count(*)::INTEGER, count(DISTINCT session_id)::INTEGER FROM events GROUP BY type ORDER BY type`)
      ).getRowsJS();
      expect(rows).toEqual([
        ['api.call', writers * perWriter, writers],
        ['command', writers * perWriter, writers],
        ['keygen.timing', writers * perWriter, writers],
      ]);
    } finally {
      await db.close();
    }
    expect(existsSync(paths.spoolDir) ? (await import('node:fs')).readdirSync(paths.spoolDir) : []).toEqual([]);
  });
});
