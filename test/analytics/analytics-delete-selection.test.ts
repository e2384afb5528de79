import { existsSync, readFileSync, readdirSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ErrorCodes, type KeyscopeError } from '../../src/core/errors.js';
import { deleteEvents } from '../../src/analytics/warehouse/delete-events.js';
import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import type { AnalyticsEvent } from '../../src/analytics/events/types.js';
import { dayMs, recordAt, sampleEvents, tempAnalyticsPaths } from '../support/analytics-fixtures.js';

const now = Date.UTC(2026, 5, 1);

async function populated() {
  const paths = tempAnalyticsPaths();
  await recordAt(paths, [
    ...Array.from({ length: 4 }, (_, i) => ({ event: sampleEvents.command, time: now - (i + 1) * dayMs })),
    ...Array.from({ length: 3 }, (_, i) => ({ event: sampleEvents.error, time: now - (i + 1) * dayMs })),
    { event: sampleEvents.keygenTiming, time: now - 10 * dayMs },
    { event: sampleEvents.weakParameters, time: now - 20 * dayMs },
  ]);
  return paths;
}

async function counts(paths: ReturnType<typeof tempAnalyticsPaths>): Promise<{ scopes: Record<string, number>; groups: number }> {
  const db = await openAnalyticsDatabase({ paths, now: () => now });
  try {
    const rows = (await db.connection.runAndReadAll('SELECT scope, count(*) FROM events GROUP BY scope')).getRowsJS();
    const groups = Number((await db.connection.runAndReadAll('SELECT count(*) FROM error_groups')).getRowsJS()[0]![0]);
    return { scopes: Object.fromEntries(rows.map(([scope, n]) => [String(scope), Number(n)])), groups };
  } finally {
    await db.close();
  }
}

describe('analytics delete', () => {
  it('by scope removes exactly that scope (errors takes its error groups along)', async () => {
    const paths = await populated();
    const db = await openAnalyticsDatabase({ paths, now: () => now });
    expect(await deleteEvents(db, { scopes: ['errors', 'security'] })).toEqual({ removed: { errors: 3, security: 1 }, total: 4, errorGroupsRemoved: 1 });
    expect(await counts(paths)).toEqual({ scopes: { usage: 4, performance: 1 }, groups: 0 });
  });

  it('by time range removes exactly the events inside it', async () => {
    const paths = await populated();
    const db = await openAnalyticsDatabase({ paths, now: () => now });
    const result = await deleteEvents(db, { sinceMs: now - 2.5 * dayMs, untilMs: now - 0.5 * dayMs });
    expect(result.removed).toEqual({ usage: 2, errors: 2 });
    // One error occurrence is left, so its group stays.
    expect(await counts(paths)).toEqual({ scopes: { usage: 2, errors: 1, performance: 1, security: 1 }, groups: 1 });
  });

  it('--all removes every event and error group; pending spools are ingested first', async () => {
    const paths = await populated();
    const db = await openAnalyticsDatabase({ paths, now: () => now });
    await recordAt(paths, [{ event: sampleEvents.command, time: now - dayMs }]);
    expect(readdirSync(paths.spoolDir)).toHaveLength(1);
    const result = await deleteEvents(db, { all: true });
    expect(result).toEqual({ removed: { usage: 5, errors: 3, performance: 1, security: 1 }, total: 10, errorGroupsRemoved: 1 });
    expect(await counts(paths)).toEqual({ scopes: {}, groups: 0 });
    expect(readdirSync(paths.spoolDir)).toEqual([]);
  });

  it('refuses without a selector, and --all with one', async () => {
    const paths = await populated();
    for (const selection of [{}, { all: true, scopes: ['usage' as const] }]) {
      const db = await openAnalyticsDatabase({ paths, now: () => now });
      const error = await deleteEvents(db, selection).catch((e: unknown) => e);
      expect((error as KeyscopeError).code).toBe(ErrorCodes.usage);
    }
    expect((await counts(paths)).scopes['usage']).toBe(4);
  });

  it('leaves no byte of a deleted event in the database file', async () => {
    const paths = tempAnalyticsPaths();
    // An operation name that passes the schema and the guard, and appears nowhere else.
    const marker = `cli zebra quokka platypus wombat`;
    const secretEvent: AnalyticsEvent = { ...sampleEvents.weakParameters, operation: marker };
    await recordAt(paths, [
      ...Array.from({ length: 500 }, (_, i) => ({ event: secretEvent, time: now - dayMs + i })),
      ...Array.from({ length: 500 }, (_, i) => ({ event: sampleEvents.command, time: now - dayMs + i })),
    ]);
    let db = await openAnalyticsDatabase({ paths, now: () => now });
    await db.close();
    expect(readFileSync(paths.database).includes(Buffer.from('zebra quokka'))).toBe(true);

    db = await openAnalyticsDatabase({ paths, now: () => now });
    expect((await deleteEvents(db, { scopes: ['security'] })).total).toBe(500);
    expect(readFileSync(paths.database).includes(Buffer.from('zebra quokka'))).toBe(false);
    expect(existsSync(`${paths.database}.wal`)).toBe(false);
    expect(readdirSync(paths.home).filter((name) => name.includes('.compact-'))).toEqual([]);
    expect(await counts(paths)).toEqual({ scopes: { usage: 500 }, groups: 0 });
  });
});
