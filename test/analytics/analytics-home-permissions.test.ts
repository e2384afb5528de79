/**
 * Everything under $KEYSCOPE_HOME is the person's alone: after a real CLI session (consent given, keys made, a
 * typo and a failure recorded, an ingest by `analytics inspect`, an export into the home, a delete that rewrites
 * the database, a keygen whose spool is still waiting, a saved dashboard view) every file is 0600 and every folder
 * 0700, under the common umask 022 that would otherwise leave DuckDB's files 0644.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { ingestPendingSpools } from '../../src/analytics/warehouse/ingest.js';
import { createEventSpool } from '../../src/analytics/spool/event-spool.js';
import { parseViewState, SavedViews } from '../../src/dashboard/http/saved-views.js';
import { binPath } from '../support/cli.js';

const execFileAsync = promisify(execFile);

/** The real bin under umask 022, as a login shell would run it. */
async function keyscope(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  await execFileAsync('/bin/sh', ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, binPath, ...args], { env: { ...process.env, ...env }, cwd }).catch(
    (error: { code?: number }) => {
      // A refused or failed command is part of the session; anything but a clean exit status is not.
      if (typeof error.code !== 'number') throw error;
    },
  );
}

function walk(dir: string): { path: string; mode: string; folder: boolean }[] {
  const entries = [{ path: dir, mode: (statSync(dir).mode & 0o777).toString(8), folder: true }];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) entries.push(...walk(path));
    else entries.push({ path, mode: (statSync(path).mode & 0o777).toString(8), folder: false });
  }
  return entries;
}

it('leaves every file under $KEYSCOPE_HOME 0600 and every folder 0700', async () => {
  const home = join(mkdtempSync(join(tmpdir(), 'keyscope-home-modes-')), 'home');
  const cwd = mkdtempSync(join(tmpdir(), 'keyscope-home-modes-cwd-'));
  const env = { KEYSCOPE_HOME: home, CI: '', DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '', KEYSCOPE_ANALYTICS_DEBUG: '' };
  mkdirSync(join(cwd, 'store'));
  writeFileSync(join(cwd, 'store', 'runs.duckdb.wal'), 'left over');

  await keyscope(['analytics', 'enable'], env, cwd);
  await keyscope(['keygen', 'ed25519'], env, cwd);
  await keyscope(['keygen', 'rsa-2048', '--json'], env, cwd);
  await keyscope(['keygen', 'no-such-algorithm'], env, cwd); // a typo
  await keyscope(['runs', 'list', '--db', join(cwd, 'store', 'runs.duckdb')], env, cwd); // a failure: KS_STORE_CORRUPT
  await keyscope(['analytics', 'inspect'], env, cwd); // ingests every spool into analytics.duckdb
  await keyscope(['analytics', 'export', '--format', 'json', '--out', join(home, 'events.json')], env, cwd);
  await keyscope(['analytics', 'export', '--format', 'parquet', '--out', join(home, 'events.parquet')], env, cwd);
  await keyscope(['analytics', 'delete', '--scope', 'usage', '--yes'], env, cwd); // rewrites the database file
  await keyscope(['keygen', 'x25519'], env, cwd); // its spool waits for the next ingest
  new SavedViews(analyticsPathsIn(home)).save('mine', parseViewState({ page: 'errors', range: '7d' })); // as the dashboard saves one

  const entries = walk(home);
  const names = entries.map((entry) => entry.path.slice(home.length));
  for (const expected of ['/analytics.duckdb', '/consent.json', '/consent-ledger.jsonl', '/session.json', '/events.json', '/events.parquet', '/dashboard-views.json', '/spool']) {
    expect(names).toContain(expected);
  }
  expect(names.some((name) => /^\/spool\/perf-.*\.bin$/.test(name))).toBe(true);
  expect(entries.filter((entry) => entry.mode !== (entry.folder ? '700' : '600'))).toEqual([]);
}, 120_000);

it('keeps the write-ahead log private while the database is open, after each ingest (as the dashboard runs)', async () => {
  const home = join(mkdtempSync(join(tmpdir(), 'keyscope-home-modes-')), 'home');
  const paths = analyticsPathsIn(home);
  const database = await openAnalyticsDatabase({ paths });
  try {
    const spool = createEventSpool({ dir: paths.spoolDir, pid: 1_000_001, startMs: Date.now() - 1000 });
    const envelope = { installId: 'i-1', sessionId: 's-1', keyscopeVersion: '0.1.0' };
    spool.append(JSON.stringify({ time: Date.now(), ...envelope, type: 'command', scope: 'usage', command: 'keygen', options: [], outcome: 'ok', exitCode: 0, durationMs: 1 }));
    spool.close();
    await database.connection.run('CHECKPOINT'); // as DuckDB does on its own: the next write starts a new log
    expect((await ingestPendingSpools({ connection: database.connection, paths })).events).toBe(1);
    expect((statSync(`${paths.database}.wal`).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(paths.database).mode & 0o777).toString(8)).toBe('600');
  } finally {
    await database.close();
  }
});
