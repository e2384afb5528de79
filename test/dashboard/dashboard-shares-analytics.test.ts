/**
 * The analytics database is shared, not owned: while a real `keyscope dashboard` runs (and is answering pages),
 * `analytics inspect|export|delete`, `errors`, `alerts` and `recommend` run as their own processes and succeed;
 * `analytics delete` really deletes (inspect and the dashboard's API both see it). A command that must wait for
 * another says once, on stderr, which process holds the database, then goes on.
 */
import { readFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import type { ErrorsData, SystemData } from '../../src/dashboard/http/api-types.js';
import { insertEvents } from '../support/analytics-query-fixtures.js';
import { collect, keyscope, killCliProcesses, run, startDashboardProcess } from '../support/cli-processes.js';
import { fixtureDay, fixtureEvents, fixtureHome, fixtureRange, hostileMessage } from '../support/dashboard-fixtures.js';

afterEach(killCliProcesses);

const waitingLine = /^keyscope: waiting for the analytics database, held by (.+)…$/m;

describe('the analytics database while the dashboard runs', () => {
  // Eight CLI processes and a server, one after another: a sanitizer build takes minutes over them.
  it('lets every analytics command run, and a delete really deletes, while the dashboard answers pages', async () => {
    const paths = await fixtureHome('keyscope-dashboard-shares-');
    const dashboard = await startDashboardProcess(paths);
    expect((await dashboard.get<SystemData>('/api/system')).database.events).toBe(fixtureEvents.length);

    // The dashboard keeps answering pages all along, as an open browser tab makes it do.
    let polling = true;
    const polls: Promise<number> = (async () => {
      let answered = 0;
      while (polling) {
        await dashboard.get(`/api/overview?range=${encodeURIComponent(fixtureRange)}`);
        answered++;
      }
      return answered;
    })();

    try {
      const commands = [
        ['analytics', 'inspect', '--json'],
        ['analytics', 'export', '--format', 'csv'],
        ['errors', 'list'],
        ['alerts'],
        ['recommend'],
      ];
      for (const args of commands) {
        const result = await run(args, paths);
        expect(result.stderr, args.join(' ')).not.toMatch(/KS_/);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      }
      const inspected = JSON.parse((await run(['analytics', 'inspect', '--json'], paths)).stdout) as { events: number };
      expect(inspected.events).toBe(fixtureEvents.length);

      const deleted = await run(['analytics', 'delete', '--all', '--yes'], paths);
      expect(deleted.code, deleted.stderr).toBe(0);
    } finally {
      polling = false;
    }
    expect(await polls).toBeGreaterThan(0);

    // Gone for every reader: the command line, the dashboard's API, and the file's bytes.
    const after = await run(['analytics', 'inspect', '--json'], paths);
    expect(after.code, after.stderr).toBe(0);
    expect((JSON.parse(after.stdout) as { events: number; errorGroups: number }).events).toBe(0);
    expect((await dashboard.get<SystemData>('/api/system')).database.events).toBe(0);
    expect((await dashboard.get<ErrorsData>(`/api/errors?range=${encodeURIComponent(fixtureRange)}`)).groups).toEqual([]);
    expect(readFileSync(paths.database).includes(hostileMessage)).toBe(false);

    const stopped = await dashboard.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toBe('');
  }, 240_000);

  it('makes a command wait for another that holds the database, naming it, and then both succeed', async () => {
    const paths = await fixtureHome('keyscope-dashboard-shares-');
    const database = await openAnalyticsDatabase({ paths });
    // Enough that an export's output overfills a pipe (64 KiB) nobody reads: the exporter then stops with the
    // database open, until its output is read.
    await insertEvents(
      database.connection,
      Array.from({ length: 4000 }, (_, i) => ({ time: fixtureDay + i * 1000, type: 'keygen.timing' as const, algorithm: 'ed25519', outcome: 'ok' as const, durationNs: 1000 + i })),
    );
    await database.close();

    const exporter = keyscope(['analytics', 'export', '--format', 'json'], paths);
    let exported = '';
    await new Promise((resolve) => exporter.stdout!.once('data', resolve));
    exporter.stdout!.pause();

    const waiter = collect(keyscope(['errors', 'list'], paths));
    await expect.poll(() => waiter.stderr(), { timeout: 10_000 }).toMatch(waitingLine);
    expect(waitingLine.exec(waiter.stderr())![1]).toBe(`keyscope analytics export (pid ${exporter.pid})`);

    exporter.stdout!.on('data', (chunk: Buffer) => (exported += chunk.toString()));
    exporter.stdout!.resume();
    const exporterDone = await new Promise<number | null>((resolve) => exporter.once('close', resolve));
    expect(exporterDone).toBe(0);
    expect(exported.length).toBeGreaterThan(100_000);
    const waited = await waiter.done;
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr.match(new RegExp(waitingLine.source, 'gm'))).toHaveLength(1);
    expect(waited.stdout).toMatch(/KS_OPENSSL/);
  });

  it('lets two commands that race for the database both succeed; one that waited names the other', async () => {
    const paths = await fixtureHome('keyscope-dashboard-shares-');
    const first = keyscope(['analytics', 'inspect', '--json'], paths);
    const second = keyscope(['analytics', 'inspect', '--json'], paths);
    const results = await Promise.all([collect(first).done, collect(second).done]);
    const pids = [first.pid, second.pid];
    results.forEach((result, i) => {
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as { events: number }).events).toBe(fixtureEvents.length);
      const waited = waitingLine.exec(result.stderr);
      if (waited !== null) expect(waited[1]).toBe(`keyscope analytics inspect (pid ${pids[1 - i]})`);
      expect(result.stderr.replace(waitingLine, '').trim()).toBe('');
    });
  });
});
