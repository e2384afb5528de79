/**
 * The team server's access model, over real HTTP against startServer({ port: 0 }) on a real PostgreSQL:
 *
 * - `keyscope server token create` prints the token alone; `token list` shows it without its secret; the database
 *   keeps only the secret's SHA-256; `token revoke` and expiry turn every request with it into 401;
 * - every way of not presenting a good token (none, malformed, unknown id, wrong secret) is 401
 *   KS_SERVER_UNAUTHORIZED, and an unknown id reads exactly as a wrong secret;
 * - a project's runs are invisible to another project's tokens, and a run id is per project;
 * - each route needs its scope (runs:write, runs:read, admin) and answers 403 KS_SERVER_FORBIDDEN without it;
 * - `keyscope push` turns the server's refusals (and a missing token, or a URL that is not http) into one line.
 *
 * Runs are real: test/fixtures/quick-run-a.parquet, under a fresh id wherever a test needs a run of its own.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunRecord } from '../../src/model/index.js';
import { createToken, type RunningServer, startServer, type TokenScope } from '../../src/server/index.js';
import { decodeInlineDocument, encodeDocument, readRunExport } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/postgres.js';
import { withNewId } from '../support/server-fixtures.js';

const fixture = fileURLToPath(new URL('../fixtures/quick-run-a.parquet', import.meta.url));
/** The secret part of a token `ks_<id>_<secret>` (which may itself hold "_"). */
const secretOf = (token: string) => /^ks_[0-9a-f]{16}_(.+)$/.exec(token)![1]!;
const tokenLine = /^ks_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n$/;

interface Answer {
  status: number;
  body: unknown;
}

/** The error body every refusal has. */
const refused = (code: string) => ({ error: { code, message: expect.any(String) as string, retryable: false } });

function expectRefused(answer: Answer, status: number, code: string): string {
  expect({ status: answer.status, body: answer.body }).toEqual({ status, body: refused(code) });
  return (answer.body as { error: { message: string } }).error.message;
}

describeWithPostgres('keyscope server access: tokens, projects and scopes', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let pool: pg.Pool;
  let quickRun: RunRecord;
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-server-access-'));

  beforeAll(async () => {
    db = await createTestDatabase({ role: true });
    server = await startServer({ databaseUrl: db.url, port: 0 });
    pool = new pg.Pool({ connectionString: db.url });
    quickRun = await readRunExport(fixture);
  });
  afterAll(async () => {
    await server?.close();
    await pool?.end();
    await db?.drop();
  });

  /** A token made with the server's own API (the CLI's is tested on its own below). */
  const tokenFor = async (project: string, ...scopes: TokenScope[]) => (await createToken(pool, { project, scopes })).token;
  /** quick-run-a under a new id, changed by `change`: a real run no project has yet. */
  const freshRun = (change?: (run: RunRecord) => void) => withNewId(quickRun, change);
  const documentOf = (run: RunRecord) => encodeDocument(run, 'inline');

  async function call(method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: await response.json() };
  }
  const push = (token: string, run: RunRecord) => call('POST', '/v1/runs', token, documentOf(run));
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { env: { KEYSCOPE_DATABASE_URL: db.url, ...env } });

  describe('tokens made, listed and revoked with the CLI', () => {
    it('prints the token alone, lists it without its secret, and keeps only its SHA-256 in the database', async () => {
      const made = await cli(['server', 'token', 'create', '--project', 'alpha', '--scope', 'runs:write,runs:read', '--name', 'CI of main']);
      expect(made.stderr).toBe('');
      expect(made.status).toBe(0);
      expect(made.stdout).toMatch(tokenLine);
      const token = made.stdout.trim();
      const [, id, secret] = /^ks_([0-9a-f]{16})_(.+)$/.exec(token)!;

      const whoami = await call('GET', '/v1/whoami', token);
      expect(whoami).toEqual({ status: 200, body: { project: 'alpha', token: id, scopes: ['runs:write', 'runs:read'] } });

      const listed = await cli(['server', 'token', 'list']);
      expect(listed.status).toBe(0);
      const row = listed.stdout.split('\n').find((line) => line.startsWith(id!));
      expect(row, listed.stdout).toMatch(new RegExp(`^${id}\\s+alpha\\s+runs:write,runs:read\\s+CI of main\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+-\\s+active\\s`));
      expect(listed.stdout.split('\n')[0]).toMatch(/^id\s+project\s+scopes\s+name\s+created\s+expires\s+state\s+last used$/);
      const json = await cli(['server', 'token', 'list', '--project', 'alpha', '--json']);
      expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ id, project: 'alpha', scopes: ['runs:write', 'runs:read'], name: 'CI of main', revokedAt: null })]);
      for (const output of [listed.stdout, json.stdout]) expect(output).not.toContain(secret);

      // Every row of every table, as text: the secret is in none of them, in any encoding; its SHA-256 is in tokens.
      const tables = (await pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).rows.map((r) => r.table_name);
      expect(tables).toEqual(expect.arrayContaining(['tokens', 'projects', 'runs', 'cases', 'keyscope_schema']));
      const everything = (await Promise.all(tables.map(async (table) => (await pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`)).rows.map((r) => r.row)))).flat().join('\n');
      for (const form of [secret!, Buffer.from(secret!).toString('hex'), Buffer.from(secret!, 'base64url').toString('hex'), Buffer.from(secret!, 'base64url').toString('base64')]) {
        expect(everything).not.toContain(form);
      }
      const stored = await pool.query<{ secret_sha256: Buffer }>('SELECT secret_sha256 FROM tokens WHERE token_id = $1', [id]);
      expect(stored.rows[0]!.secret_sha256.equals(createHash('sha256').update(secret!).digest())).toBe(true);
    });

    it('refuses every request with a revoked token: 401 KS_SERVER_UNAUTHORIZED, saying it was revoked', async () => {
      const token = (await cli(['server', 'token', 'create', '--project', 'alpha', '--scope', 'runs:write,runs:read,admin'])).stdout.trim();
      const id = token.split('_')[1]!;
      const run = freshRun();
      expect((await push(token, run)).status).toBe(201);

      const revoked = await cli(['server', 'token', 'revoke', id]);
      expect(revoked).toMatchObject({ status: 0, stdout: `revoked token ${id}\n`, stderr: '' });
      const requests: Array<[string, string, unknown?]> = [
        ['GET', '/v1/whoami'],
        ['GET', '/v1/runs'],
        ['GET', `/v1/runs/${run.id}`],
        ['POST', '/v1/runs/overviews', {}],
        ['POST', '/v1/runs/missing', { ids: [run.id] }],
        ['POST', '/v1/runs', documentOf(freshRun())],
        ['DELETE', `/v1/runs/${run.id}`],
      ];
      for (const [method, path, body] of requests) {
        expect(expectRefused(await call(method, path, token, body), 401, 'KS_SERVER_UNAUTHORIZED'), `${method} ${path}`).toBe(`token ${id} was revoked`);
      }
      const listed = await cli(['server', 'token', 'list', '--project', 'alpha']);
      expect(listed.stdout.split('\n').find((line) => line.startsWith(id))).toMatch(/\srevoked \d{4}-\d\d-\d\d \d\d:\d\d\s/);
      // The run it pushed stays: revoking a token takes away access, not data.
      expect((await pool.query('SELECT 1 FROM runs WHERE id = $1', [run.id])).rowCount).toBe(1);
    });

    it('refuses an expired token: 401 KS_SERVER_UNAUTHORIZED, saying it expired', async () => {
      const made = await cli(['server', 'token', 'create', '--project', 'alpha', '--scope', 'runs:read', '--expires', '1d']);
      expect(made.stdout).toMatch(tokenLine);
      const token = made.stdout.trim();
      const id = token.split('_')[1]!;
      expect((await call('GET', '/v1/runs', token)).status).toBe(200);

      await pool.query("UPDATE tokens SET expires_at = now() - interval '1 minute' WHERE token_id = $1", [id]);
      expect(expectRefused(await call('GET', '/v1/runs', token), 401, 'KS_SERVER_UNAUTHORIZED')).toBe(`token ${id} has expired`);
    });
  });

  it('answers every way of not presenting a good token with 401 KS_SERVER_UNAUTHORIZED, an unknown id exactly as a wrong secret', async () => {
    const good = await tokenFor('alpha', 'runs:read');
    const id = good.split('_')[1]!;
    const otherSecret = randomBytes(32).toString('base64url');
    const attempts: Record<string, Record<string, string>> = {
      'no Authorization header': {},
      'not Bearer': { authorization: `Basic ${Buffer.from(`alpha:${good}`).toString('base64')}` },
      'a malformed token': { authorization: 'Bearer ks_not-a-token' },
      'an unknown id': { authorization: `Bearer ks_${randomBytes(8).toString('hex')}_${otherSecret}` },
      'a wrong secret': { authorization: `Bearer ks_${id}_${otherSecret}` },
    };
    const messages: Record<string, string> = {};
    for (const [what, headers] of Object.entries(attempts)) {
      const response = await fetch(`${server.url}/v1/runs`, { headers });
      const text = await response.text();
      messages[what] = expectRefused({ status: response.status, body: JSON.parse(text) }, 401, 'KS_SERVER_UNAUTHORIZED');
      expect(text, what).not.toContain(otherSecret);
    }
    expect(messages['a wrong secret']).toBe(messages['an unknown id']);
    expect(messages['a wrong secret']).not.toContain(id);
    expect((await call('GET', '/v1/runs', good)).status).toBe(200);
  });

  it("keeps a project's runs from another project's tokens, and lets both keep a run under one id", async () => {
    const a = await tokenFor('project-a', 'runs:write', 'runs:read', 'admin');
    const b = await tokenFor('project-b', 'runs:write', 'runs:read', 'admin');
    const run = freshRun((r) => (r.label = 'only-in-a'));
    expect(await push(a, run)).toEqual({ status: 201, body: { id: run.id, stored: true } });
    expect((await call('GET', '/v1/runs', a)).body).toEqual({ runs: [expect.objectContaining({ id: run.id, label: 'only-in-a' })] });

    expect(await call('GET', '/v1/runs', b)).toEqual({ status: 200, body: { runs: [] } });
    expect(await call('GET', `/v1/runs?label=only-in-a&branch=${run.git!.branch}&idPrefix=${run.id.slice(0, 8)}`, b)).toEqual({ status: 200, body: { runs: [] } });
    expect(expectRefused(await call('GET', `/v1/runs/${run.id}`, b), 404, 'KS_SERVER_NOT_FOUND')).toBe(`project project-b has no run ${run.id}`);
    expect(await call('POST', '/v1/runs/overviews', b, {})).toEqual({ status: 200, body: { runs: [] } });
    expect(await call('POST', '/v1/runs/missing', b, { ids: [run.id] })).toEqual({ status: 200, body: { missing: [run.id] } });
    expect(await call('POST', '/v1/runs/missing', a, { ids: [run.id] })).toEqual({ status: 200, body: { missing: [] } });
    // B's admin cannot delete what is A's either.
    expectRefused(await call('DELETE', `/v1/runs/${run.id}`, b), 404, 'KS_SERVER_NOT_FOUND');

    // B pushes its own run under the same id: stored as B's, A's untouched.
    const theirs = structuredClone(run);
    theirs.label = 'b-own-copy';
    expect(await push(b, theirs)).toEqual({ status: 201, body: { id: run.id, stored: true } });
    const readBy = async (token: string) => decodeInlineDocument((await call('GET', `/v1/runs/${run.id}`, token)).body);
    expect(await readBy(a)).toEqual(run);
    expect(await readBy(b)).toEqual(theirs);
    expect((await call('GET', '/v1/runs', a)).body).toEqual({ runs: [expect.objectContaining({ id: run.id, label: 'only-in-a' })] });
    const rows = await pool.query<{ name: string; label: string }>('SELECT p.name, r.label FROM runs r JOIN projects p USING (project_id) WHERE r.id = $1 ORDER BY p.name', [run.id]);
    expect(rows.rows).toEqual([
      { name: 'project-a', label: 'only-in-a' },
      { name: 'project-b', label: 'b-own-copy' },
    ]);
  });

  describe('scopes', () => {
    it('lets a runs:write-only token push and ask what is missing, and nothing else', async () => {
      const writer = await tokenFor('scoped', 'runs:write');
      const run = freshRun();
      expect(await push(writer, run)).toEqual({ status: 201, body: { id: run.id, stored: true } });
      const unknown = randomUUID();
      expect(await call('POST', '/v1/runs/missing', writer, { ids: [run.id, unknown] })).toEqual({ status: 200, body: { missing: [unknown] } });
      for (const [method, path, body] of [['GET', '/v1/runs'], ['GET', `/v1/runs/${run.id}`], ['POST', '/v1/runs/overviews', {}]] as Array<[string, string, unknown?]>) {
        expect(expectRefused(await call(method, path, writer, body), 403, 'KS_SERVER_FORBIDDEN'), `${method} ${path}`).toBe('this token (project scoped) lacks the runs:read scope');
      }
      expectRefused(await call('DELETE', `/v1/runs/${run.id}`, writer), 403, 'KS_SERVER_FORBIDDEN');
    });

    it('refuses a push with a runs:read-only token, storing nothing', async () => {
      const reader = await tokenFor('scoped', 'runs:read');
      const run = freshRun();
      expect(expectRefused(await push(reader, run), 403, 'KS_SERVER_FORBIDDEN')).toBe('this token (project scoped) lacks the runs:write scope');
      expect(await call('POST', '/v1/runs/missing', reader, { ids: [run.id] })).toEqual({ status: 200, body: { missing: [run.id] } });
      expect((await pool.query('SELECT 1 FROM runs WHERE id = $1', [run.id])).rowCount).toBe(0);
    });

    it('lets only an admin token delete a run, which is then gone', async () => {
      const readWrite = await tokenFor('scoped', 'runs:write', 'runs:read');
      const admin = await tokenFor('scoped', 'admin');
      const run = freshRun();
      expect((await push(readWrite, run)).status).toBe(201);
      expect(expectRefused(await call('DELETE', `/v1/runs/${run.id}`, readWrite), 403, 'KS_SERVER_FORBIDDEN')).toBe('this token (project scoped) lacks the admin scope');
      expect((await call('GET', `/v1/runs/${run.id}`, readWrite)).status).toBe(200);

      expect(await call('DELETE', `/v1/runs/${run.id}`, admin)).toEqual({ status: 200, body: { id: run.id, deleted: true } });
      expectRefused(await call('GET', `/v1/runs/${run.id}`, readWrite), 404, 'KS_SERVER_NOT_FOUND');
      expectRefused(await call('DELETE', `/v1/runs/${run.id}`, admin), 404, 'KS_SERVER_NOT_FOUND');
      const left = await pool.query('SELECT (SELECT count(*) FROM runs WHERE id = $1)::int AS runs, (SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_key = c.run_key))::int AS orphans', [run.id]);
      expect(left.rows[0]).toEqual({ runs: 0, orphans: 0 });
    });
  });

  describe('keyscope push, refused', () => {
    const store = join(dir, 'r.duckdb');
    beforeAll(async () => {
      const imported = await runCli(['runs', 'import', fixture, '--db', store]);
      expect(imported.status, imported.stderr).toBe(0);
    });
    const pushCli = (args: string[], token: string | undefined) => runCli(['push', ...args, '--db', store], { env: { KEYSCOPE_TOKEN: token } });
    const oneErrorLine = (code: string) => new RegExp(`^keyscope: error ${code}: [^\\n]+\\n$`);

    it('with a runs:read-only token: one line KS_SERVER_FORBIDDEN, exit 1, nothing stored', async () => {
      const result = await pushCli(['--server', server.url], await tokenFor('cli', 'runs:read'));
      expect(result.stderr).toMatch(oneErrorLine('KS_SERVER_FORBIDDEN'));
      expect(result.stderr).toContain('lacks the runs:write scope');
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect((await pool.query('SELECT 1 FROM runs WHERE id = $1', [quickRun.id])).rowCount).toBe(0);
    });

    it('without KEYSCOPE_TOKEN: KS_SERVER_NO_TOKEN', async () => {
      const result = await pushCli(['--server', server.url], undefined);
      expect(result.stderr).toMatch(oneErrorLine('KS_SERVER_NO_TOKEN'));
      expect(result.status).toBe(2);
    });

    it('with a revoked token: KS_SERVER_UNAUTHORIZED, exit 1', async () => {
      const token = await tokenFor('cli', 'runs:write', 'runs:read');
      await pool.query('UPDATE tokens SET revoked_at = now() WHERE token_id = $1', [token.split('_')[1]]);
      const result = await pushCli(['--server', server.url], token);
      expect(result.stderr).toMatch(oneErrorLine('KS_SERVER_UNAUTHORIZED'));
      expect(result.stderr).toContain('was revoked');
      expect(result.stderr).not.toContain(secretOf(token));
      expect(result.status).toBe(1);
    });

    it('to a server URL that is not http(s): KS_USAGE, exit 2', async () => {
      const result = await pushCli(['--server', 'ftp://x'], await tokenFor('cli', 'runs:write'));
      expect(result.stderr).toMatch(oneErrorLine('KS_USAGE'));
      expect(result.stderr).toContain('--server must be an http:// or https:// URL');
      expect(result.status).toBe(2);
    });

    it('and, with a runs:write token, not refused: the run is pushed once', async () => {
      const token = await tokenFor('cli', 'runs:write');
      const first = await pushCli(['--server', server.url], token);
      expect(first.stderr).toBe('');
      expect(first.stdout).toMatch(new RegExp(`^pushed ${quickRun.id} {2}w-output@a65e154468 {2}testbed ${quickRun.testbed} {2}\\d+ samples\\n1 run pushed to server ${server.url}, 0 already there\\n$`));
      const again = await pushCli(['--server', server.url], token);
      expect(again.stdout).toBe(`0 runs pushed to server ${server.url}, 1 already there\n`);
    });
  });
});
