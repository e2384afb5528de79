/**
 * With the rollups wired into open, ingest, retention and delete: queries see ingested events, expired and
 * deleted events leave the rollups, and the rollups always equal a rebuild from the events.
 */
import { describe, expect, it } from 'vitest';

import { deleteEvents } from '../../src/analytics/warehouse/delete-events.js';
import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { clearRollups, refreshRollups } from '../../src/analytics/warehouse/rollups.js';
import { algorithmShare, flows } from '../../src/analytics/query/index.js';
import type { AnalyticsDatabase } from '../../src/analytics/warehouse/analytics-database.js';
import { commandEvent, dayMs, recordAt, tempAnalyticsPaths } from '../support/analytics-fixtures.js';

const tables = ['rollup_event_counts', 'rollup_latency_hourly', 'rollup_latency_daily', 'rollup_session_hours', 'rollup_feature_sessions', 'rollup_commands'];

async function dump(db: AnalyticsDatabase): Promise<string> {
  const parts: string[] = [];
  for (const table of tables) parts.push(JSON.stringify((await db.connection.runAndReadAll(`SELECT * FROM ${table} ORDER BY ALL`)).getRowsJS(), (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  return parts.join('\n');
}

/** The rollups equal what a rebuild from the current events gives (checked, then rolled back). */
async function expectConsistent(db: AnalyticsDatabase): Promise<void> {
  const current = await dump(db);
  await db.connection.run('BEGIN TRANSACTION');
  await clearRollups(db.connection);
  await refreshRollups(db.connection, { fromMs: 0, toMs: Date.UTC(2100, 0) });
  const rebuilt = await dump(db);
  await db.connection.run('ROLLBACK');
  expect(current).toEqual(rebuilt);
}

describe('rollups wired into the database lifecycle', () => {
  it('follows ingest, retention and delete', async () => {
    const paths = tempAnalyticsPaths();
    const now = Date.UTC(2025, 5, 30, 12);
    await recordAt(paths, [
      { event: commandEvent('keygen'), time: now - 10 * dayMs },
      { event: commandEvent('bench'), time: now - 3 * dayMs + 1234 },
      { event: commandEvent('keygen'), time: now - 3 * dayMs + 60_000 },
      { event: commandEvent('runs list'), time: now - 3600_000 },
    ]);
    let db = await openAnalyticsDatabase({ paths, now: () => now, retentionDays: 30 });
    try {
      expect((await flows(db.connection)).reduce((sum, f) => sum + (f.from === '(start)' ? 0 : 1), 0)).toBe(4);
      await expectConsistent(db);
    } finally {
      await db.close();
    }
    // Retention of 5 days: the first command goes, from the events and the rollups.
    db = await openAnalyticsDatabase({ paths, now: () => now, retentionDays: 5 });
    try {
      expect(Number((await db.connection.runAndReadAll('SELECT count(*) FROM rollup_commands')).getRowsJS()[0]![0])).toBe(3);
      await expectConsistent(db);
    } finally {
      await db.close();
    }
    db = await openAnalyticsDatabase({ paths, now: () => now, retentionDays: 5 });
    await deleteEvents(db, { sinceMs: now - 3 * dayMs, untilMs: now - 3 * dayMs + 30_000 });
    db = await openAnalyticsDatabase({ paths, now: () => now, retentionDays: 5 });
    try {
      expect(Number((await db.connection.runAndReadAll('SELECT count(*) FROM rollup_commands')).getRowsJS()[0]![0])).toBe(2);
      await expectConsistent(db);
      expect((await algorithmShare(db.connection)).total).toBe(0);
    } finally {
      await db.close();
    }
    db = await openAnalyticsDatabase({ paths, now: () => now, retentionDays: 5 });
    await deleteEvents(db, { all: true });
    db = await openAnalyticsDatabase({ paths, now: () => now, retentionDays: 5 });
    try {
      expect(await dump(db)).toBe(tables.map(() => '[]').join('\n'));
    } finally {
      await db.close();
    }
  });

  it('catches up after a crash between an ingest transaction and its rollup refresh', async () => {
    const paths = tempAnalyticsPaths();
    const now = Date.UTC(2025, 5, 30, 12);
    await recordAt(paths, [{ event: commandEvent('keygen'), time: now - 3600_000 }]);
    let db = await openAnalyticsDatabase({ paths, now: () => now });
    try {
      // What a crash after an ingest commit leaves: events the rollups lack, and the stale range recorded.
      await db.connection.run('BEGIN TRANSACTION');
      await db.connection.run("INSERT INTO analytics_meta VALUES ('rollups_stale_range', $1)", [`${now - 7200_000},${now}`]);
      await clearRollups(db.connection);
      await db.connection.run('COMMIT');
      expect((await flows(db.connection)).length).toBe(0);
    } finally {
      await db.close();
    }
    db = await openAnalyticsDatabase({ paths, now: () => now });
    try {
      expect((await flows(db.connection)).length).toBeGreaterThan(0);
      await expectConsistent(db);
      expect((await db.connection.runAndReadAll("SELECT count(*) FROM analytics_meta WHERE key = 'rollups_stale_range'")).getRowsJS()[0]![0]).toBe(0n);
    } finally {
      await db.close();
    }
  });
});
