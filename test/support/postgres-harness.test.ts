/**
 * The PostgreSQL harness itself: the run's scratch cluster really checks passwords, each test database is
 * its own (a table in one is not in another), drop() really drops, the { role: true } owner is not a
 * superuser, and a cluster started by hand stops and leaves nothing behind.
 */
import { existsSync } from 'node:fs';

import pg from 'pg';
import { afterAll, expect, it } from 'vitest';

import { startScratchCluster } from './postgres-cluster.js';
import { createTestDatabase, describeWithPostgres, superuserUrl, type TestDatabase, withClient } from './postgres.js';

/** The error `promise` rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

function withPassword(url: string, password: string): string {
  const wrong = new URL(url);
  wrong.password = password;
  return wrong.toString();
}

describeWithPostgres('the scratch PostgreSQL cluster', () => {
  const databases: TestDatabase[] = [];
  const database = async (options: { role?: boolean } = {}) => {
    const created = await createTestDatabase(options);
    databases.push(created);
    return created;
  };
  afterAll(async () => {
    for (const created of databases) await created.drop();
  });

  it('lets the superuser in over TCP with the right password, and is the throwaway cluster', async () => {
    const url = superuserUrl();
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const row = await withClient(url, async (client) => {
      const { rows } = await client.query<{ rolsuper: boolean; fsync: string }>(
        "SELECT rolsuper, current_setting('fsync') AS fsync FROM pg_roles WHERE rolname = current_user",
      );
      return rows[0];
    });
    // fsync off is set only on the command line of the scratch cluster: not the machine's own.
    expect(row).toEqual({ rolsuper: true, fsync: 'off' });
  });

  it('refuses a wrong password (28P01)', async () => {
    const error = await rejection(withClient(withPassword(superuserUrl(), 'not-the-password'), async () => undefined));
    expect(error.code).toBe('28P01');
  });

  it('gives each test database its own tables', async () => {
    const [first, second] = [await database(), await database()];
    expect(first.name).not.toBe(second.name);
    await withClient(first.url, (client) => client.query('CREATE TABLE only_here (id int); INSERT INTO only_here VALUES (1)'));
    const inFirst = await withClient(first.url, (client) => client.query("SELECT to_regclass('only_here') AS found"));
    const inSecond = await withClient(second.url, (client) => client.query("SELECT to_regclass('only_here') AS found"));
    expect(inFirst.rows[0]).toEqual({ found: 'only_here' });
    expect(inSecond.rows[0]).toEqual({ found: null });
  });

  it('drop() ends open connections and really drops the database', async () => {
    const created = await createTestDatabase({ role: true });
    const open = new pg.Client({ connectionString: created.url });
    open.on('error', () => undefined); // The termination below arrives as an 'error' event too.
    await open.connect();
    await created.drop();
    await created.drop(); // Twice is fine.
    expect((await rejection(open.query('SELECT 1'))).message).toMatch(/terminat|not queryable|Connection/i);
    await open.end().catch(() => undefined);
    const left = await withClient(superuserUrl(), (client) =>
      client.query('SELECT (SELECT count(*) FROM pg_database WHERE datname = $1)::int AS databases, (SELECT count(*) FROM pg_roles WHERE rolname = $2)::int AS roles', [created.name, created.owner]),
    );
    expect(left.rows[0]).toEqual({ databases: 0, roles: 0 });
    // Connecting now: the role went with it, so the refusal is about the role (28P01) rather than the database (3D000).
    expect((await rejection(withClient(created.url, async () => undefined))).code).toMatch(/^(28P01|3D000)$/);
  });

  it('with { role: true }, owns the database with a non-superuser role of its own and refuses its wrong password', async () => {
    const created = await database({ role: true });
    expect(new URL(created.url).username).toBe(created.owner);
    const facts = await withClient(created.url, async (client) => {
      await client.query('CREATE TABLE owned (id int)');
      const { rows } = await client.query<{ me: string; rolsuper: boolean; rolcreatedb: boolean; owner: string }>(
        `SELECT current_user AS me, r.rolsuper, r.rolcreatedb, pg_get_userbyid(d.datdba) AS owner
           FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
      );
      return rows[0];
    });
    expect(facts).toEqual({ me: created.owner, rolsuper: false, rolcreatedb: false, owner: created.owner });
    const refused = await withClient(created.url, (client) => rejection(client.query('CREATE DATABASE not_allowed')));
    expect(refused.code).toBe('42501');
    expect((await rejection(withClient(withPassword(created.url, 'wrong'), async () => undefined))).code).toBe('28P01');
  });
});

// Gated like the rest (not on postgresAvailable() alone): where the run's own cluster would not start, this
// one would not either, and that is a skip on a developer's machine.
describeWithPostgres('a scratch cluster started by hand', () => {
  it('starts, serves, and leaves no server and no folder after stop()', async () => {
    const cluster = await startScratchCluster({ superuser: 'keyscope_by_hand' });
    try {
      expect(cluster.url).toBe(`postgres://keyscope_by_hand:${cluster.password}@127.0.0.1:${cluster.port}/postgres`);
      // The unix socket answers too (a path as host means a socket).
      const viaSocket = { host: cluster.socketDir, port: cluster.port, user: cluster.superuser, password: cluster.password, database: 'postgres' };
      const client = new pg.Client(viaSocket);
      await client.connect();
      expect((await client.query('SELECT current_user AS me')).rows[0]).toEqual({ me: 'keyscope_by_hand' });
      await client.end();
      expect(existsSync(cluster.dataDir)).toBe(true);
    } finally {
      await cluster.stop();
    }
    await cluster.stop(); // Twice is fine.
    expect(existsSync(cluster.dataDir)).toBe(false);
    expect(existsSync(cluster.socketDir)).toBe(false);
    expect((await rejection(withClient(cluster.url, async () => undefined))).code).toBe('ECONNREFUSED');
  });
});
