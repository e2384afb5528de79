/**
 * The team server's start-up against a real PostgreSQL (the run's scratch cluster), in-process (startServer) and
 * as `keyscope server` in a child process:
 *
 * - an empty database gets schema 1; a second start applies nothing again and keeps what is stored; two servers
 *   starting at once on one fresh database both come up, with one schema row per version;
 * - a database whose schema is newer than this keyscope (99) is refused with KS_SERVER_SCHEMA_TOO_NEW, and the CLI
 *   says so in one line, exits non-zero and never listens;
 * - an unreachable database, a wrong password, and a role that may connect but not create tables are each one
 *   coded error, whose message names the URL with its password redacted as ***;
 * - `keyscope server` prints `keyscope server: http://127.0.0.1:PORT (schema 1)`, listens on loopback only, and
 *   exits 0 on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, connect, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';

import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { KeyscopeError } from '../../src/core/index.js';
import { createToken, startServer } from '../../src/server/index.js';
import { binPath, runCli } from '../support/cli.js';
import { createTestDatabase, describeWithPostgres, superuserUrl, type TestDatabase, withClient } from '../support/postgres.js';

/** The KeyscopeError `promise` rejects with (fails the test when it resolves, or rejects with anything else). */
async function refusal(promise: Promise<unknown>): Promise<KeyscopeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KeyscopeError);
    return error as KeyscopeError;
  }
  throw new Error('expected startServer to refuse');
}

function withCredentials(url: string, user: string, password: string): string {
  const changed = new URL(url);
  changed.username = user;
  changed.password = password;
  return changed.toString();
}

/** A port on 127.0.0.1 that nothing listens on: bound for a moment, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether a TCP connection to host:port is accepted or refused. */
function tryConnect(host: string, port: number): Promise<'accepted' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error)));
  });
}

const schemaRows = (url: string) =>
  withClient(url, async (client) => (await client.query<{ version: number; applied_at: Date }>('SELECT version, applied_at FROM keyscope_schema ORDER BY version')).rows);

/** `keyscope <args>` as a child process that may keep running (a server): its output so far, and its end. */
interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** The first line on stdout, or null when the process exits without one. */
  firstLine: Promise<string | null>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

function cliProcess(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [binPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const firstLine = new Promise<string | null>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n') + 1));
    });
    void exited.then(() => resolve(null));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, firstLine, exited };
}

describeWithPostgres('keyscope server start-up', () => {
  const databases: TestDatabase[] = [];
  const database = async () => {
    const created = await createTestDatabase({ role: true });
    databases.push(created);
    return created;
  };
  const extraRoles: string[] = [];

  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    for (const created of databases) await created.drop();
    await withClient(superuserUrl(), async (client) => {
      for (const role of extraRoles) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
    });
  });

  it('gives an empty database schema 1, and a second start applies nothing again and keeps what is stored', async () => {
    const db = await database();
    const first = await startServer({ databaseUrl: db.url, port: 0 });
    expect(first.schema).toBe(1);
    await first.close();
    const applied = await schemaRows(db.url);
    expect(applied.map((row) => row.version)).toEqual([1]);

    const pool = new pg.Pool({ connectionString: db.url });
    const made = await createToken(pool, { project: 'kept', scopes: ['runs:read'] }).finally(() => pool.end());

    const second = await startServer({ databaseUrl: db.url, port: 0 });
    try {
      expect(second.schema).toBe(1);
      // The same row, applied at the same moment: migration 1 did not run again (its CREATE TABLEs would have failed).
      expect(await schemaRows(db.url)).toEqual(applied);
      const whoami = await fetch(`${second.url}/v1/whoami`, { headers: { authorization: `Bearer ${made.token}` } });
      expect(whoami.status).toBe(200);
      expect(await whoami.json()).toMatchObject({ project: 'kept', token: made.id });
    } finally {
      await second.close();
    }
  });

  it('lets two servers starting at once on one fresh database both come up, with one schema row per version', async () => {
    const db = await database();
    const servers = await Promise.all([startServer({ databaseUrl: db.url, port: 0 }), startServer({ databaseUrl: db.url, port: 0 })]);
    try {
      expect(servers.map((server) => server.schema)).toEqual([1, 1]);
      const counts = await withClient(db.url, async (client) => (await client.query('SELECT version, count(*)::int AS rows FROM keyscope_schema GROUP BY version ORDER BY version')).rows);
      expect(counts).toEqual([{ version: 1, rows: 1 }]);
      for (const server of servers) expect((await fetch(`${server.url}/v1/health`)).status).toBe(200);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  });

  describe('a database whose schema is newer than this keyscope (99)', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await database();
      await withClient(db.url, (client) => client.query("CREATE TABLE keyscope_schema (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO keyscope_schema (version, description) VALUES (99, 'from the future')"));
    });

    it('is refused by startServer with KS_SERVER_SCHEMA_TOO_NEW, and left as it was', async () => {
      const error = await refusal(startServer({ databaseUrl: db.url, port: 0 }));
      expect(error.code).toBe('KS_SERVER_SCHEMA_TOO_NEW');
      expect(error.message).toMatch(/schema 99, newer than this keyscope knows \(1\)/);
      expect(error.message).toContain(':***@');
      expect(error.message).not.toContain(new URL(db.url).password);
      const left = await withClient(db.url, async (client) => (await client.query("SELECT (SELECT array_agg(version) FROM keyscope_schema) AS versions, to_regclass('runs') AS runs")).rows[0]);
      expect(left).toEqual({ versions: [99], runs: null });
    });

    it('makes `keyscope server` say so in one line on stderr, exit 2 and never listen', async () => {
      const server = cliProcess(['server', '--database', db.url, '--port', '0']);
      expect(await server.firstLine).toBeNull();
      // Exit 2: the operator's to fix (upgrade keyscope), as src/cli/exit-status.ts classes it.
      expect(await server.exited).toEqual({ code: 2, signal: null });
      expect(server.stdout()).toBe('');
      expect(server.stderr()).toMatch(/^keyscope: error KS_SERVER_SCHEMA_TOO_NEW: the database at postgres:\/\/[^ ]+:\*\*\*@[^ ]+ has keyscope server schema 99, newer than this keyscope knows \(1\): upgrade keyscope\n$/);
      expect(server.stderr()).not.toContain(new URL(db.url).password);
    });
  });

  it('names an unreachable database KS_SERVER_DATABASE_UNREACHABLE, without its password', async () => {
    const password = 'unreachable-s3cret';
    const url = `postgres://keyscope:${password}@127.0.0.1:${await closedPort()}/nothing`;
    const error = await refusal(startServer({ databaseUrl: url, port: 0 }));
    expect(error.code).toBe('KS_SERVER_DATABASE_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('postgres://keyscope:***@127.0.0.1:');
    expect(error.message).not.toContain(password);
  });

  it('names a wrong password KS_SERVER_DATABASE_AUTH, without either password', async () => {
    const db = await database();
    const right = new URL(db.url).password;
    const wrong = 'not-the-password-0123';
    const error = await refusal(startServer({ databaseUrl: withCredentials(db.url, db.owner, wrong), port: 0 }));
    expect(error.code).toBe('KS_SERVER_DATABASE_AUTH');
    expect(error.message).toContain(`${db.owner}:***@`);
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain(right);
  });

  it('names a role that may connect but not create tables KS_SERVER_DATABASE_AUTH, without its password', async () => {
    const db = await database();
    const role = `${db.name}_reader`;
    const password = 'reader-pw-4b1d2c';
    extraRoles.push(role);
    await withClient(superuserUrl(), async (client) => {
      await client.query(`CREATE ROLE ${client.escapeIdentifier(role)} LOGIN NOSUPERUSER PASSWORD ${client.escapeLiteral(password)}`);
      await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(db.name)} TO ${client.escapeIdentifier(role)}`);
    });
    // PostgreSQL 15 already grants PUBLIC no CREATE on schema public; said here so that the test holds on any version.
    await withClient(db.url, (client) => client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC'));
    const url = withCredentials(db.url, role, password);
    await withClient(url, (client) => client.query('SELECT 1')); // it may connect

    const error = await refusal(startServer({ databaseUrl: url, port: 0 }));
    expect(error.code).toBe('KS_SERVER_DATABASE_AUTH');
    expect(error.message).toMatch(/may not create keyscope's tables: permission denied for schema public/);
    expect(error.message).toContain(`${role}:***@`);
    expect(error.message).not.toContain(password);
    await db.drop(); // before the role: the database holds the role's CONNECT grant
  });

  it('runs `keyscope server` on 127.0.0.1 by default, announces its URL and schema, and stops cleanly on SIGTERM', async () => {
    const db = await database();
    const server = cliProcess(['server', '--database', db.url, '--port', '0']);
    const line = await server.firstLine;
    expect(line, server.stderr()).toMatch(/^keyscope server: http:\/\/127\.0\.0\.1:\d+ \(schema 1\)\n$/);
    const port = Number(/:(\d+) /.exec(line!)![1]);

    const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, schema: 1 });
    // Bound to 127.0.0.1 itself, not to every address: another loopback address and the machine's own are refused.
    const others = Object.values(networkInterfaces()).flat().filter((address) => address !== undefined && address.family === 'IPv4' && !address.internal).map((address) => address!.address);
    for (const host of ['127.0.0.2', ...others]) expect(await tryConnect(host, port), host).toBe('refused');

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toBe(line);
    expect(server.stderr()).toBe('');
    expect(await tryConnect('127.0.0.1', port)).toBe('refused');
  });

  it('refuses a usage mistake of `keyscope server` before touching the database', async () => {
    const result = await runCli(['server', '--port', '0'], { env: { KEYSCOPE_DATABASE_URL: undefined } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^keyscope: error KS_USAGE: no database: [^\n]+\n$/);
  });
});
