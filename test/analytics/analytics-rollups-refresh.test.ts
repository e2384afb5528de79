/**
 * refreshRollups recomputes whole hours from `events`: running it again changes nothing, it touches only the
 * hours (and days) its range overlaps, after a delete it leaves exactly what a rebuild from scratch would,
 * clearRollups empties every rollup, and ensureRollups builds them once for a database that has none.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { removeEvents } from '../../src/analytics/warehouse/remove-events.js';
import { clearRollups, ensureRollups, refreshRollups } from '../../src/analytics/warehouse/rollups.js';
import { algorithmShare, sessionDurations } from '../../src/analytics/query/index.js';
import { type FixtureDatabase, type FixtureEvent, insertEvents, openFixtureDatabase, queryRows } from '../support/analytics-query-fixtures.js';

const minute = 60_000;
const hour = 60 * minute;
const H0 = Date.UTC(2025, 2, 10, 22);

const rollupTables = ['rollup_event_counts', 'rollup_latency_hourly', 'rollup_latency_daily', 'rollup_session_hours', 'rollup_feature_sessions', 'rollup_commands'];

/** Every rollup row, in a stable order, as text (so tables compare whole). */
async function dump(connection: DuckDBConnection): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const table of rollupTables) {
    tables[table] = (await queryRows(connection, `SELECT * FROM ${table} ORDER BY ALL`)).map((row) => JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  }
  return tables;
}

/** Events every 7 minutes for 5 hours from 22:00 (so over midnight), of every kind the rollups summarise. */
function fixture(): FixtureEvent[] {
  return Array.from({ length: 43 }, (_, i): FixtureEvent => {
    const time = H0 + i * 7 * minute + i; // + i ms: no two events at the same time
    const sessionId = `s${Math.floor(i / 10)}`;
    switch (i % 4) {
      case 0:
        return { time, type: 'command', sessionId, operation: i % 8 === 0 ? 'keygen' : 'runs list', outcome: 'ok', properties: { options: ['--format'] } };
      case 1:
        return { time, type: 'api.call', sessionId, operation: 'generateKeyPairSync', algorithm: i % 3 === 0 ? 'rsa-2048' : 'ed25519', outcome: 'ok' };
      case 2:
        return { time, type: 'keygen.timing', sessionId, operation: 'generateKeyPairSync', algorithm: 'ed25519', outcome: 'ok', durationNs: 20_000 + i * 100, properties: { implementation: 'keyscope' } };
      default:
        return { time, type: 'error', sessionId, operation: 'cli keygen', errorCode: 'KS_OPENSSL', fingerprint: 'aaaa000000000000' };
    }
  });
}

const all = fixture();
const firstMs = all[0]!.time;
const lastMs = all.at(-1)!.time;

let db: FixtureDatabase;
beforeEach(async () => {
  db = await openFixtureDatabase();
});
afterEach(() => db.close());

async function rebuilt(events: readonly FixtureEvent[]): Promise<Record<string, string[]>> {
  const fresh = await openFixtureDatabase();
  try {
    await insertEvents(fresh.connection, events);
    return await dump(fresh.connection);
  } finally {
    fresh.close();
  }
}

describe('refreshRollups', () => {
  it('summarises every kind of event, and is idempotent', async () => {
    await insertEvents(db.connection, all);
    const once = await dump(db.connection);
    for (const table of rollupTables) expect(once[table]!.length, table).toBeGreaterThan(0);
    await refreshRollups(db.connection, { fromMs: firstMs, toMs: lastMs });
    await refreshRollups(db.connection, { fromMs: H0 + 90 * minute, toMs: H0 + 100 * minute });
    expect(await dump(db.connection)).toEqual(once);
  });

  it('recomputes only the hours its range overlaps', async () => {
    await insertEvents(db.connection, all, { refresh: false });
    // One instant at 23:20: the whole of 23:00-00:00 is summarised, and nothing else.
    await refreshRollups(db.connection, { fromMs: H0 + 80 * minute, toMs: H0 + 80 * minute });
    const hours = await queryRows(db.connection, `SELECT DISTINCT epoch_ms(hour)::DOUBLE AS hour FROM rollup_session_hours`);
    expect(hours.map((row) => row['hour'])).toEqual([H0 + hour]);
    const commands = await queryRows(db.connection, `SELECT count(*)::DOUBLE AS n FROM rollup_commands`);
    expect(commands[0]!['n']).toBe(all.filter((e) => e.type === 'command' && e.time >= H0 + hour && e.time < H0 + 2 * hour).length);
    // Its day (the 10th) is summarised from the hourly rows there are so far: only that hour.
    const daily = await queryRows(db.connection, `SELECT sum(events)::DOUBLE AS n FROM rollup_latency_daily`);
    expect(daily[0]!['n']).toBe(all.filter((e) => e.type === 'keygen.timing' && e.time >= H0 + hour && e.time < H0 + 2 * hour).length);
  });

  it('after events of a mid-hour range are deleted and the range refreshed, equals a rebuild from scratch', async () => {
    await insertEvents(db.connection, all);
    const from = H0 + 47 * minute + 500;
    const to = H0 + 3 * hour + 13 * minute;
    const removed = await removeEvents(db.connection, `time >= make_timestamp(${from * 1000}) AND time < make_timestamp(${to * 1000})`);
    const kept = all.filter((e) => e.time < from || e.time >= to);
    expect(removed).toBe(all.length - kept.length);
    await refreshRollups(db.connection, { fromMs: from, toMs: to });
    expect(await dump(db.connection)).toEqual(await rebuilt(kept));
    // And what the queries read no longer counts the deleted events.
    expect((await algorithmShare(db.connection)).total).toBe(kept.filter((e) => e.type === 'api.call').length);
  });

  it('after a delete by kind over the whole range, equals a rebuild from scratch', async () => {
    await insertEvents(db.connection, all);
    await removeEvents(db.connection, `type = 'keygen.timing'`);
    await refreshRollups(db.connection, { fromMs: firstMs, toMs: lastMs });
    expect(await dump(db.connection)).toEqual(await rebuilt(all.filter((e) => e.type !== 'keygen.timing')));
  });

  it('refuses a range that is not one', async () => {
    await expect(refreshRollups(db.connection, { fromMs: 10, toMs: 5 })).rejects.toThrow(RangeError);
    await expect(refreshRollups(db.connection, { fromMs: Number.NaN, toMs: 5 })).rejects.toThrow(RangeError);
  });
});

describe('clearRollups', () => {
  it('empties every rollup table and leaves the events', async () => {
    await insertEvents(db.connection, all);
    await clearRollups(db.connection);
    for (const [table, rows] of Object.entries(await dump(db.connection))) expect(rows, table).toEqual([]);
    const events = await queryRows(db.connection, 'SELECT count(*)::DOUBLE AS n FROM events');
    expect(events[0]!['n']).toBe(all.length);
  });
});

describe('ensureRollups', () => {
  it('builds the rollups of a database that has events but none, once', async () => {
    await insertEvents(db.connection, all, { refresh: false });
    expect((await sessionDurations(db.connection)).summary.count).toBe(0);
    expect(await ensureRollups(db.connection)).toBe(true);
    expect(await dump(db.connection)).toEqual(await rebuilt(all));
    expect((await sessionDurations(db.connection)).summary.count).toBe(5);
    expect(await ensureRollups(db.connection)).toBe(false);
  });
});
