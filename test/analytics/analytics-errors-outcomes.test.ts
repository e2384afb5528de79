/**
 * Error groups are for failures keyscope or OpenSSL caused; a typo or a refused input is an outcome, counted as
 * usage by its code on the command event (errors.ts errorCodeKinds). Through the real bin, with every scope on.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import type { ErrorGroup } from '../../src/analytics/query/error-groups.js';
import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { runCli } from '../support/cli.js';

function envFor(home: string): NodeJS.ProcessEnv {
  return { KEYSCOPE_HOME: home, CI: '', DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '', KEYSCOPE_ANALYTICS_DEBUG: '' };
}

async function groups(home: string): Promise<ErrorGroup[]> {
  const listed = await runCli(['errors', 'list', '--json'], { env: envFor(home) });
  expect(listed.status).toBe(0);
  return JSON.parse(listed.stdout) as ErrorGroup[];
}

/** Typos and refusals of several kinds, each from a fresh process as a person would make them. */
async function typos(home: string, cwd: string): Promise<void> {
  writeFileSync(join(cwd, 'taken.pem'), 'already here\n');
  const runs = [
    ['keygne', 'ed25519'], // unknown command
    ['keygen', 'ed25519', '--bogus-flag'], // unknown option
    ['keygen', 'no-such-algorithm-zebra'], // unknown algorithm
    ['keygen', 'rsa-1024'], // weak size refused
    ['keygen', 'ed25519', '--out', 'taken.pem'], // KS_FILE_EXISTS
    ['compare', 'zebra-run-1', 'zebra-run-2', '--db', join(cwd, 'runs.duckdb')], // no such store
  ];
  for (const args of runs) expect((await runCli(args, { env: envFor(home), cwd })).status).not.toBe(0);
}

/** A real failure: a store whose write-ahead log survived its database (KS_STORE_CORRUPT), in a folder named for a client. */
async function storeFailure(home: string, cwd: string): Promise<void> {
  const folder = join(cwd, 'zebra-client-secret');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'zebra-runs.duckdb.wal'), 'left over');
  const failed = await runCli(['runs', 'list', '--db', join(folder, 'zebra-runs.duckdb')], { env: envFor(home), cwd });
  expect(failed.stderr).toContain('KS_STORE_CORRUPT');
}

describe('typos and refused inputs', () => {
  it('make no error group, and are counted as usage by their codes', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'keyscope-outcomes-')), 'home');
    const cwd = mkdtempSync(join(tmpdir(), 'keyscope-outcomes-cwd-'));
    expect((await runCli(['analytics', 'enable'], { env: envFor(home) })).status).toBe(0);
    await typos(home, cwd);
    expect(await groups(home)).toEqual([]);

    const database = await openAnalyticsDatabase({ paths: analyticsPathsIn(home) });
    try {
      const rows = (
        await database.connection.runAndReadAll(`SELECT operation, error_code FROM events WHERE type = 'command' AND outcome = 'error' ORDER BY time`)
      ).getRowsJS();
      expect(rows).toEqual([
        ['(unknown)', 'KS_USAGE'],
        ['keygen', 'KS_USAGE'],
        ['keygen', 'KS_UNKNOWN_ALGORITHM'],
        ['keygen', 'KS_WEAK_KEY_SIZE'],
        ['keygen', 'KS_FILE_EXISTS'],
        ['compare', 'KS_STORE_NOT_FOUND'],
      ]);
      const errors = (await database.connection.runAndReadAll(`SELECT count(*)::INTEGER FROM events WHERE type = 'error'`)).getRowsJS();
      expect(errors).toEqual([[0]]);
    } finally {
      await database.close();
    }
  });

  it('do not regress a resolved group, while the failure it is about does', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'keyscope-outcomes-')), 'home');
    const cwd = mkdtempSync(join(tmpdir(), 'keyscope-outcomes-cwd-'));
    await runCli(['analytics', 'enable'], { env: envFor(home) });
    await storeFailure(home, cwd);
    const [failure, ...others] = await groups(home);
    expect(others).toEqual([]);
    expect(failure).toMatchObject({ code: 'KS_STORE_CORRUPT', status: 'open' });
    expect((await runCli(['errors', 'resolve', failure!.fingerprint], { env: envFor(home) })).status).toBe(0);

    await typos(home, cwd);
    expect((await groups(home)).map((group) => [group.fingerprint, group.status])).toEqual([[failure!.fingerprint, 'resolved']]);

    await storeFailure(home, cwd);
    expect((await groups(home)).map((group) => [group.fingerprint, group.status])).toEqual([[failure!.fingerprint, 'regressed']]);
  });
});

describe('a failure', () => {
  it('makes a group whose message is a readable template holding none of the values', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'keyscope-outcomes-')), 'home');
    const cwd = mkdtempSync(join(tmpdir(), 'keyscope-outcomes-cwd-'));
    await runCli(['analytics', 'enable'], { env: envFor(home) });
    await storeFailure(home, cwd);
    const [group] = await groups(home);
    expect(group!.message).toBe('keyscope store <path> does not exist but its write-ahead log <path> does; move the <path> file away to start a new store');

    const list = await runCli(['errors', 'list'], { env: envFor(home) });
    expect(list.stdout).toContain('keyscope store <path> does not exist');
    const show = await runCli(['errors', 'show', group!.fingerprint], { env: envFor(home) });
    expect(show.stdout).toContain('StoreError KS_STORE_CORRUPT: keyscope store <path> does not exist');
    for (const text of [list.stdout, show.stdout, JSON.stringify(group)]) {
      expect(text).not.toContain('zebra');
      expect(text).not.toContain(cwd);
    }
  });
});
