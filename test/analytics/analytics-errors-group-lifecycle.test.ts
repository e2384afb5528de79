import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';

import { getErrorGroup, listErrorGroups, resolveErrorGroup } from '../../src/analytics/query/error-groups.js';
import { updateErrorGroups } from '../../src/analytics/warehouse/error-groups.js';
import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { ErrorCodes } from '../../src/core/errors.js';
import { type FixtureDatabase, insertEvents, openFixtureDatabase, recordedError } from '../support/analytics-query-fixtures.js';

const day = 86_400_000;
const t0 = Date.UTC(2025, 0, 1);

let db: FixtureDatabase;
beforeEach(async () => {
  db = await openFixtureDatabase();
});
afterEach(() => db.close());

describe('error groups: open -> resolved -> regressed', () => {
  it('creates an open group, then counts, widens first/last seen and collects versions', async () => {
    await updateErrorGroups(db.connection, [
      recordedError({ time: t0 + day, message: 'second wording' }),
      recordedError({ time: t0, message: 'first wording' }),
    ]);
    let [group] = await listErrorGroups(db.connection);
    expect(group).toMatchObject({
      fingerprint: '0123456789abcdef',
      errorType: 'OpenSSLError',
      code: 'KS_OPENSSL',
      opensslReason: 'key size too small',
      frames: ['at generate (dist/core/keygen.js)', 'at main (dist/cli/main.js)'],
      message: 'second wording',
      count: 2,
      versions: ['0.1.0'],
      status: 'open',
      resolvedAt: null,
    });
    expect(group!.firstSeen.getTime()).toBe(t0);
    expect(group!.lastSeen.getTime()).toBe(t0 + day);

    // A later batch: one older occurrence (first_seen moves back, message stays) and a newer one in 0.2.0.
    await updateErrorGroups(db.connection, [
      recordedError({ time: t0 - day, message: 'oldest wording' }),
      recordedError({ time: t0 + 3 * day, message: 'newest wording', keyscopeVersion: '0.2.0' }),
    ]);
    [group] = await listErrorGroups(db.connection);
    expect(group!.count).toBe(4);
    expect(group!.firstSeen.getTime()).toBe(t0 - day);
    expect(group!.lastSeen.getTime()).toBe(t0 + 3 * day);
    expect(group!.message).toBe('newest wording');
    expect(group!.versions).toEqual(['0.1.0', '0.2.0']);
  });

  it('resolves, then regresses when the group is seen after the resolution', async () => {
    await updateErrorGroups(db.connection, [recordedError({ time: t0 })]);
    const resolved = await resolveErrorGroup(db.connection, '0123', { version: '0.2.0', now: () => t0 + 10 * day });
    expect(resolved.status).toBe('resolved');
    let [group] = await listErrorGroups(db.connection, { status: 'resolved' });
    expect(group!.resolvedAt!.getTime()).toBe(t0 + 10 * day);
    expect(group!.resolvedVersion).toBe('0.2.0');

    await updateErrorGroups(db.connection, [recordedError({ time: t0 + 11 * day, keyscopeVersion: '0.2.0' })]);
    [group] = await listErrorGroups(db.connection);
    expect(group!.status).toBe('regressed');
    expect(group!.count).toBe(2);
    expect(await listErrorGroups(db.connection, { status: 'resolved' })).toEqual([]);
  });

  it('stays resolved when the late occurrence is older than the resolution', async () => {
    await updateErrorGroups(db.connection, [recordedError({ time: t0 })]);
    await resolveErrorGroup(db.connection, '0123456789abcdef', { version: '0.2.0', now: () => t0 + 10 * day });
    await updateErrorGroups(db.connection, [recordedError({ time: t0 + 9 * day })]);
    const [group] = await listErrorGroups(db.connection);
    expect(group!.status).toBe('resolved');
    expect(group!.count).toBe(2);
  });

  it('keeps separate fingerprints apart in one batch and lists the most recently seen first', async () => {
    const batch = [
      ...Array.from({ length: 300 }, (_, i) => recordedError({ time: t0 + i, fingerprint: 'aaaa000000000000' })),
      recordedError({ time: t0 + day, fingerprint: 'bbbb000000000000', errorType: 'TypeError', code: null, openssl: [] }),
    ];
    await updateErrorGroups(db.connection, batch);
    const groups = await listErrorGroups(db.connection);
    expect(groups.map((g) => [g.fingerprint, g.count, g.opensslReason])).toEqual([
      ['bbbb000000000000', 1, null],
      ['aaaa000000000000', 300, 'key size too small'],
    ]);
    expect(await listErrorGroups(db.connection, { limit: 1 })).toHaveLength(1);
  });
  it('updates the same group several times within one transaction, as ingest does per spool', async () => {
    await db.connection.run('BEGIN TRANSACTION');
    await updateErrorGroups(db.connection, [recordedError({ time: t0 })]);
    await updateErrorGroups(db.connection, [recordedError({ time: t0 + 1, keyscopeVersion: '0.3.0' })]);
    await updateErrorGroups(db.connection, [recordedError({ time: t0 + 2, keyscopeVersion: '0.2.0' })]);
    await db.connection.run('COMMIT');
    const [group] = await listErrorGroups(db.connection);
    expect(group!.count).toBe(3);
    expect(group!.versions).toEqual(['0.1.0', '0.2.0', '0.3.0']);
  });
});

describe('finding a group by fingerprint prefix', () => {
  beforeEach(async () => {
    await updateErrorGroups(db.connection, [
      recordedError({ fingerprint: 'abcd111111111111' }),
      recordedError({ fingerprint: 'abcd222222222222' }),
    ]);
  });

  it('shows a group with its newest occurrences and latest stack', async () => {
    await insertEvents(db.connection, [
      { time: t0, type: 'error', fingerprint: 'abcd111111111111', operation: 'cli keygen', algorithm: 'rsa-2048', properties: { nodeVersion: '20.1.0', opensslVersion: '3.0.1', stack: ['old'] } },
      { time: t0 + day, type: 'error', fingerprint: 'abcd111111111111', operation: 'api generateKeyPair', keyscopeVersion: '0.2.0', properties: { nodeVersion: '20.2.0', opensslVersion: '3.0.2', stack: ['at f (dist/a.js:1:1)'] } },
      { time: t0 + 2 * day, type: 'error', fingerprint: 'abcd222222222222' },
    ]);
    const detail = await getErrorGroup(db.connection, 'abcd1');
    expect(detail.fingerprint).toBe('abcd111111111111');
    expect(detail.latestStack).toEqual(['at f (dist/a.js:1:1)']);
    expect(detail.occurrences).toEqual([
      { time: new Date(t0 + day), operation: 'api generateKeyPair', algorithm: null, keyscopeVersion: '0.2.0', nodeVersion: '20.2.0', opensslVersion: '3.0.2' },
      { time: new Date(t0), operation: 'cli keygen', algorithm: 'rsa-2048', keyscopeVersion: '0.1.0', nodeVersion: '20.1.0', opensslVersion: '3.0.1' },
    ]);
  });

  it('refuses an ambiguous prefix, naming the candidates', async () => {
    await expect(getErrorGroup(db.connection, 'abcd')).rejects.toMatchObject({
      code: ErrorCodes.errorGroupAmbiguous,
      message: expect.stringContaining('abcd111111111111, abcd222222222222'),
    });
    await expect(resolveErrorGroup(db.connection, 'abcd', { version: '0.1.0' })).rejects.toMatchObject({ code: ErrorCodes.errorGroupAmbiguous });
    expect((await listErrorGroups(db.connection, { status: 'resolved' })).length).toBe(0);
  });

  it('refuses an unknown fingerprint with KS_ERROR_GROUP_NOT_FOUND', async () => {
    await expect(getErrorGroup(db.connection, 'ffff')).rejects.toMatchObject({ code: ErrorCodes.errorGroupNotFound });
    await expect(getErrorGroup(db.connection, 'not-hex')).rejects.toMatchObject({ code: ErrorCodes.errorGroupNotFound });
  });
});

describe('outcomes recorded as errors by an older keyscope', () => {
  it('make no group at ingest, and the groups they made are dropped when the database opens', async () => {
    const typo = recordedError({ fingerprint: 'aaaa000000000001', errorType: 'KeyscopeError', code: ErrorCodes.usage, openssl: [] });
    await updateErrorGroups(db.connection, [typo, recordedError()]);
    expect((await listErrorGroups(db.connection)).map((group) => group.code)).toEqual(['KS_OPENSSL']);

    // A database where an older keyscope grouped a typo: the next open leaves only the failure.
    const paths = analyticsPathsIn(mkdtempSync(join(tmpdir(), 'keyscope-old-groups-')));
    const first = await openAnalyticsDatabase({ paths });
    await first.connection.run(`INSERT INTO error_groups VALUES ('aaaa000000000001', 'KeyscopeError', 'KS_FILE_EXISTS', NULL, [], 'x', 3, now(), now(), ['0.1.0'], 'regressed', now(), '0.1.0')`);
    await updateErrorGroups(first.connection, [recordedError({ time: Date.now() })]);
    await first.close();
    const second = await openAnalyticsDatabase({ paths });
    try {
      expect((await listErrorGroups(second.connection)).map((group) => group.code)).toEqual(['KS_OPENSSL']);
    } finally {
      await second.close();
    }
  });
});
