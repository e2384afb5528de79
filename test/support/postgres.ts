/**
 * PostgreSQL for test files: the run's scratch cluster (started by test/support/postgres-global-setup.ts),
 * and a fresh database in it per test file, so files running in parallel forks never see each other's rows.
 *
 *   describeWithPostgres('the server store', () => {
 *     let db: TestDatabase;
 *     beforeAll(async () => (db = await createTestDatabase({ role: true })));
 *     afterAll(() => db.drop());
 *     it('…', async () => { const pool = new pg.Pool({ connectionString: db.url }); … });
 *   });
 */
import { randomBytes } from 'node:crypto';

import pg from 'pg';
import { describe, inject } from 'vitest';

import type {} from './postgres-global-setup.js';

/**
 * Whether the PostgreSQL tests run: yes when the global setup provided a cluster. Without one they are
 * skipped, unless KEYSCOPE_REQUIRE_POSTGRES is set (CI), where they must fail rather than pass silently.
 */
export function postgresAvailability(): { url: string | undefined; required: boolean; reason: string } {
  const url = inject('keyscopePostgresUrl');
  const required = Boolean(process.env.KEYSCOPE_REQUIRE_POSTGRES);
  const why = inject('keyscopePostgresUnavailable') ?? 'no cluster was provided (is test/support/postgres-global-setup.ts in vitest.config.ts?)';
  return {
    url,
    required,
    // Stable wording when available (no port): the reason is part of the test names.
    reason: url !== undefined
      ? 'scratch PostgreSQL'
      : required
        ? `no PostgreSQL: ${why}, and KEYSCOPE_REQUIRE_POSTGRES is set: failing`
        : `skipped: no PostgreSQL: ${why} (set KEYSCOPE_REQUIRE_POSTGRES to make this a failure)`,
  };
}

/** A describe that runs with a cluster (or fails without one when required), and is skipped with the reason otherwise. */
export function describeWithPostgres(name: string, fn: () => void): void {
  const postgres = postgresAvailability();
  describe.skipIf(postgres.url === undefined && !postgres.required)(`${name} (${postgres.reason})`, fn);
}

/** The run's superuser URL; throws (with the reason) when there is no cluster. */
export function superuserUrl(): string {
  const postgres = postgresAvailability();
  if (postgres.url === undefined) throw new Error(postgres.reason);
  return postgres.url;
}

export interface TestDatabase {
  /** Connects as the owner: the superuser, or with { role: true } the database's own role. */
  url: string;
  name: string;
  /** The role that owns the database (and is in `url`). */
  owner: string;
  /** Ends every connection to the database, drops it and its role. Safe to call twice. */
  drop(): Promise<void>;
}

/** Runs `work` on a short-lived superuser connection to the cluster's maintenance database. */
async function asSuperuser<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: superuserUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database with a unique name. With { role: true } it is owned by a new role of its own (LOGIN,
 * not a superuser, may not create databases or roles) with a random password, and the URL connects as that
 * role: code under test then runs with the privileges a real deployment would give it, not a superuser's.
 */
export async function createTestDatabase(options: { role?: boolean } = {}): Promise<TestDatabase> {
  // pid + random: unique across the forks of this run, and lower-case so it never needs quoting in psql.
  const name = `keyscope_t${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(superuserUrl());
  const role = options.role ? { name: `${name}_owner`, password: randomBytes(18).toString('hex') } : undefined;
  await asSuperuser(async (client) => {
    if (role) {
      await client.query(`CREATE ROLE ${client.escapeIdentifier(role.name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${client.escapeLiteral(role.password)}`);
    }
    // template0: nothing ever connects to it, and CREATE DATABASE refuses a template that has connections.
    const owner = role ? ` OWNER ${client.escapeIdentifier(role.name)}` : '';
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${owner} TEMPLATE template0`);
  });
  if (role) {
    url.username = role.name;
    url.password = role.password;
  }
  url.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  return {
    url: url.toString(),
    name,
    owner: role?.name ?? decodeURIComponent(url.username),
    drop() {
      dropping ??= asSuperuser(async (client) => {
        // WITH (FORCE) terminates the database's connections first (a pool a test forgot to end included).
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
        if (role) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role.name)}`);
      });
      return dropping;
    },
  };
}

/** Runs `work` on a fresh connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
