/**
 * The dashboard's analytics database is held only while work uses it: work queued together shares one open,
 * and once the queue drains another process opens the file at once (without waiting).
 */
import { describe, expect, it } from 'vitest';

import type { AnalyticsPaths } from '../../src/analytics/events/paths.js';
import { DashboardDatabase } from '../../src/dashboard/sources/dashboard-database.js';
import { spawnSnippet, src, waitForChild } from '../support/analytics-fixtures.js';
import { fixtureEvents, fixtureHome } from '../support/dashboard-fixtures.js';

/** Another process opens the database (waiting up to busyWaitMs for it); resolves with what it printed. */
async function openElsewhere(paths: AnalyticsPaths, busyWaitMs = 0): Promise<string> {
  const child = spawnSnippet(`
    import { openAnalyticsDatabase } from ${JSON.stringify(src('analytics/warehouse/open-analytics-database.ts'))};
    import { analyticsPathsIn } from ${JSON.stringify(src('analytics/events/paths.ts'))};
    try {
      const db = await openAnalyticsDatabase({ paths: analyticsPathsIn(${JSON.stringify(paths.home)}), busyWaitMs: ${busyWaitMs} });
      await db.close();
      process.stdout.write('opened');
    } catch (error) {
      process.stdout.write(error.code + ': ' + error.message);
    }
  `);
  return (await waitForChild(child)).stdout;
}

describe('DashboardDatabase', () => {
  it('opens once for work queued together and releases the file when the queue drains', async () => {
    const paths = await fixtureHome('keyscope-dashboard-release-');
    const database = await DashboardDatabase.open(paths);
    try {
      expect(await openElsewhere(paths)).toBe('opened');

      const count = (connection: Parameters<Parameters<DashboardDatabase['run']>[0]>[0]) =>
        connection.runAndReadAll('SELECT count(*)::INTEGER FROM event_rows').then((result) => Number(result.getRowsJS()[0]![0]));
      const counts = await Promise.all([database.run(count), database.run(count), database.run(count)]);
      expect(counts).toEqual([fixtureEvents.length, fixtureEvents.length, fixtureEvents.length]);
      expect(database.opens).toBe(1);
      expect(await openElsewhere(paths)).toBe('opened');

      // While work runs, the file is held: another process's open that will not wait is refused, naming this one.
      let finish = () => {};
      const held = database.run(() => new Promise<void>((resolve) => (finish = resolve)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await openElsewhere(paths)).toBe(`KS_ANALYTICS_BUSY: analytics database ${paths.database} is held by node (pid ${process.pid}); try again when it finishes`);
      finish();
      await held;
      expect(database.opens).toBe(2);
      expect(await openElsewhere(paths)).toBe('opened');
    } finally {
      await database.close();
    }
  });

  // Pages polled without pause: either the next request is always queued before the current one ends (the queue
  // never drains), or each comes the moment the last has been answered (it drains for no time at all).
  it.each([
    ['overlapping', false],
    ['back to back', true],
  ])('lets a waiting process in while work keeps arriving without pause (%s)', async (_name, backToBack) => {
    const paths = await fixtureHome('keyscope-dashboard-fair-');
    const database = await DashboardDatabase.open(paths);
    let stop = false;
    const work = () => database.run(() => new Promise((resolve) => setTimeout(resolve, 50)));
    const poll = async () => {
      while (!stop) {
        if (backToBack) await work();
        else {
          void work();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const polling = backToBack ? [poll()] : [poll(), poll()];
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The file never stays free for long on its own, yet the hold is capped: an open that waits 5 s gets its turn.
      expect(await openElsewhere(paths, 5000)).toBe('opened');
    } finally {
      stop = true;
      await Promise.all(polling);
      await database.close();
    }
  });
});
