/**
 * Deleting errors (a time range, or by retention) recomputes their groups from the errors left: no count,
 * date or message of a deleted occurrence survives in error_groups; a group left with none is removed.
 */
import { expect, it } from 'vitest';

import { deleteEvents } from '../../src/analytics/warehouse/delete-events.js';
import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { getErrorGroup, listErrorGroups } from '../../src/analytics/query/error-groups.js';
import type { AnalyticsEvent } from '../../src/analytics/events/types.js';
import { dayMs, recordAt, sampleEvents, tempAnalyticsPaths } from '../support/analytics-fixtures.js';

function errorWith(fingerprint: string, message: string): AnalyticsEvent {
  return { ...(sampleEvents.error as AnalyticsEvent & { type: 'error' }), fingerprint, message };
}

it('a range delete recomputes the groups it touched, and removes those it emptied', async () => {
  const paths = tempAnalyticsPaths();
  const now = Date.UTC(2025, 5, 30, 12);
  await recordAt(paths, [
    { event: errorWith('aaaa000000000001', 'old wording'), time: now - 5 * dayMs },
    { event: errorWith('aaaa000000000001', 'deleted wording'), time: now - 1 * dayMs },
    { event: errorWith('bbbb000000000002', 'only occurrence'), time: now - 1 * dayMs },
  ]);
  let db = await openAnalyticsDatabase({ paths, now: () => now });
  expect((await listErrorGroups(db.connection)).map((g) => [g.fingerprint, g.count])).toEqual([
    ['aaaa000000000001', 2],
    ['bbbb000000000002', 1],
  ]);
  const result = await deleteEvents(db, { sinceMs: now - 2 * dayMs, untilMs: now });
  expect(result.errorGroupsRemoved).toBe(1);

  db = await openAnalyticsDatabase({ paths, now: () => now });
  try {
    const groups = await listErrorGroups(db.connection);
    expect(groups.map((g) => g.fingerprint)).toEqual(['aaaa000000000001']);
    const group = await getErrorGroup(db.connection, 'aaaa000000000001');
    expect(group.count).toBe(1);
    expect(group.message).toBe('old wording');
    expect(group.lastSeen.getTime()).toBe(now - 5 * dayMs);
  } finally {
    await db.close();
  }
});

it('retention recomputes the groups of expired errors', async () => {
  const paths = tempAnalyticsPaths();
  const now = Date.UTC(2025, 5, 30, 12);
  await recordAt(paths, [
    { event: errorWith('cccc000000000003', 'expired wording'), time: now - 40 * dayMs },
    { event: errorWith('cccc000000000003', 'kept wording'), time: now - 1 * dayMs },
  ]);
  const db = await openAnalyticsDatabase({ paths, now: () => now, retentionDays: 30 });
  try {
    const group = await getErrorGroup(db.connection, 'cccc000000000003');
    expect(group.count).toBe(1);
    expect(group.firstSeen.getTime()).toBe(now - 1 * dayMs);
    expect(group.message).toBe('kept wording');
  } finally {
    await db.close();
  }
});
