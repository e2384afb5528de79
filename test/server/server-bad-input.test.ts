/**
 * The team server against bad input, over real HTTP on a real PostgreSQL. Every bad request gets a coded answer
 * (its status and {error:{code,message,retryable}}), stores nothing (the rows of runs and cases are counted before
 * and after), and leaks nothing (no token secret, nothing of another project, no stack trace):
 *
 * - bodies too large (413), of the wrong content type (415), not JSON or not a run (400), bad ids, unknown query
 *   parameters and limits (400); a body too large through `keyscope push` is one line;
 * - SQL metacharacters in a run's label, branch, case name and parameters are stored and read back exactly, and
 *   find exactly that run; an idPrefix of LIKE wildcards is refused;
 * - the same push twice stores the run once (201, then 200 stored:false); the same id with other content is 409
 *   and changes nothing; the run the server returns, pushed again, is the same run;
 * - the rate limit per token (429, retryable) leaves other tokens served, and applies to tokens it cannot place;
 * - the database going away while the server runs: a coded answer, never a hang, never a false 201.
 *
 * Runs are real: test/fixtures/quick-run-a.parquet (about 560 kB as a document), under a fresh id per test.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { caseIdentity, type RunRecord } from '../../src/model/index.js';
import { RemoteRuns, ServerClient } from '../../src/remote/index.js';
import { createToken, type RunningServer, startServer, type TokenScope } from '../../src/server/index.js';
import { decodeInlineDocument, encodeDocument, openStore, readRunExport } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, describeWithPostgres, superuserUrl, type TestDatabase, withClient } from '../support/postgres.js';
import { withNewId } from '../support/server-fixtures.js';

const fixture = fileURLToPath(new URL('../fixtures/quick-run-a.parquet', import.meta.url));
/** The secret part of a token `ks_<id>_<secret>` (which may itself hold "_"). */
const secretOf = (token: string) => /^ks_[0-9a-f]{16}_(.+)$/.exec(token)![1]!;

interface Answer {
  status: number;
  text: string;
  body: unknown;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body };
}

/** What must never be in an answer: stack frames, source paths. */
const stackTrace = /\n\s+at |\bat .+:\d+:\d+|node_modules|\/src\/|\/dist\/|\.[jt]s:\d+/;

describeWithPostgres('keyscope server: bad input', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let pool: pg.Pool;
  let quickRun: RunRecord;
  /** Project main: runs:write, runs:read, admin. */
  let writer: string;
  /** Everything an answer must not contain: every token's secret, the other project's run. */
  const secrets: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-server-bad-input-'));

  const tokenFor = async (project: string, ...scopes: TokenScope[]) => {
    const { token } = await createToken(pool, { project, scopes });
    secrets.push(secretOf(token));
    return token;
  };
  /** quick-run-a under a new id, changed by `change`: a real run no project has yet. */
  const freshRun = (change?: (run: RunRecord) => void) => withNewId(quickRun, change);
  const documentOf = (run: RunRecord) => encodeDocument(run, 'inline');

  beforeAll(async () => {
    db = await createTestDatabase({ role: true });
    server = await startServer({ databaseUrl: db.url, port: 0 });
    pool = new pg.Pool({ connectionString: db.url });
    quickRun = await readRunExport(fixture);
    writer = await tokenFor('main', 'runs:write', 'runs:read', 'admin');
    // Another project's run, whose id, label and branch no answer to project main may show.
    const other = await tokenFor('other', 'runs:write');
    const private_ = freshRun((run) => {
      run.label = 'other-project-private-label';
      run.git = { ...run.git!, branch: 'other-project-private-branch' };
    });
    secrets.push(private_.id, 'other-project-private-label', 'other-project-private-branch');
    expect((await send(server, 'POST', '/v1/runs', other, documentOf(private_))).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await pool?.end();
    await db?.drop();
  });

  async function send(to: RunningServer, method: string, path: string, token: string | undefined, body?: unknown, init: RequestInit = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return answerOf(await fetch(`${to.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), ...init }));
  }

  const counts = async () => (await pool.query<{ runs: number; cases: number }>('SELECT (SELECT count(*) FROM runs)::int AS runs, (SELECT count(*) FROM cases)::int AS cases')).rows[0]!;

  /** The answer is a coded error and nothing more: the status, the body {error:{code,message,retryable}}, no secret, no stack. */
  function expectCodedError(answer: Answer, status: number, code: string, retryable = false): string {
    expect({ status: answer.status, body: answer.body }, answer.text).toEqual({ status, body: { error: { code, message: expect.any(String) as string, retryable } } });
    for (const secret of secrets) expect(answer.text).not.toContain(secret);
    expect(answer.text).not.toMatch(stackTrace);
    return (answer.body as { error: { message: string } }).error.message;
  }

  /** `request` is answered with the coded error, and the rows of runs and cases are as they were. */
  async function refusedStoringNothing(request: () => Promise<Answer>, status: number, code: string): Promise<string> {
    const before = await counts();
    const answer = await request();
    expect(await counts()).toEqual(before);
    return expectCodedError(answer, status, code);
  }

  describe('bodies', () => {
    let small: RunningServer;
    beforeAll(async () => (small = await startServer({ databaseUrl: db.url, port: 0, bodyLimit: 64 * 1024 })));
    afterAll(() => small?.close());

    it('refuses a run larger than the body limit with 413 KS_SERVER_BODY_TOO_LARGE, sent whole or in chunks', async () => {
      const text = JSON.stringify(documentOf(freshRun()));
      expect(text.length).toBeGreaterThan(64 * 1024);
      await refusedStoringNothing(() => send(small, 'POST', '/v1/runs', writer, undefined, { headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' }, body: text }), 413, 'KS_SERVER_BODY_TOO_LARGE');
      // Without a Content-Length: the size is counted as the body arrives.
      const chunked = () =>
        send(small, 'POST', '/v1/runs', writer, undefined, {
          headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
          body: new Blob([text]).stream(),
          duplex: 'half',
        } as RequestInit);
      await refusedStoringNothing(chunked, 413, 'KS_SERVER_BODY_TOO_LARGE');
    });

    it('makes `keyscope push` of a run too large one line KS_SERVER_BODY_TOO_LARGE', async () => {
      const store = join(dir, 'too-large.duckdb');
      expect((await runCli(['runs', 'import', fixture, '--db', store])).status).toBe(0);
      const before = await counts();
      const result = await runCli(['push', '--server', small.url, '--db', store], { env: { KEYSCOPE_TOKEN: writer } });
      expect(result.stderr).toMatch(/^keyscope: error KS_SERVER_BODY_TOO_LARGE: [^\n]+\n$/);
      expect(result.status).toBe(1);
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['text/plain', 'text/plain', JSON.stringify({ format: 'keyscope-run' })],
      ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', 'format=keyscope-run'],
      ['no content type', undefined, new TextEncoder().encode('{"format":"keyscope-run"}')],
    ])('refuses a body of %s with 415 KS_SERVER_CONTENT_TYPE', async (_what, type, body) => {
      const headers: Record<string, string> = { authorization: `Bearer ${writer}` };
      if (type !== undefined) headers['content-type'] = type;
      const message = await refusedStoringNothing(() => send(server, 'POST', '/v1/runs', writer, undefined, { headers, body }), 415, 'KS_SERVER_CONTENT_TYPE');
      expect(message).toBe('the request body must be application/json');
    });

    it('refuses malformed JSON and an empty body with 400 KS_SERVER_BAD_REQUEST', async () => {
      const raw = (body: string) => () => send(server, 'POST', '/v1/runs', writer, undefined, { headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' }, body });
      const truncated = JSON.stringify(documentOf(freshRun())).slice(0, 1000);
      for (const body of ['{"format":', '{format: "keyscope-run"}', truncated, '']) await refusedStoringNothing(raw(body), 400, 'KS_SERVER_BAD_REQUEST');
    });

    it('refuses JSON that is not a run document with 400 KS_SERVER_BAD_REQUEST', async () => {
      const valid = documentOf(freshRun()) as { run: Record<string, unknown> };
      const notRuns: unknown[] = [{}, [], 42, 'keyscope-run', null, { ...valid, format: 'something-else' }, { ...valid, version: 99 }, { ...valid, run: { ...valid.run, id: 'not-a-uuid' } }];
      for (const body of notRuns) {
        const message = await refusedStoringNothing(() => send(server, 'POST', '/v1/runs', writer, body), 400, 'KS_SERVER_BAD_REQUEST');
        expect(message).toMatch(/^not a keyscope run document: /);
      }
    });

    it('refuses a run one of whose samples is a string, storing none of it', async () => {
      const document = documentOf(freshRun()) as { run: { cases: Array<{ samples?: { ns: unknown[] } }> } };
      const last = document.run.cases.findLast((c) => c.samples !== undefined)!;
      last.samples!.ns[1] = '12345';
      const message = await refusedStoringNothing(() => send(server, 'POST', '/v1/runs', writer, document), 400, 'KS_SERVER_BAD_REQUEST');
      expect(message).toMatch(/samples\.ns\.1: must be a number/);
    });

    it('refuses a run the database cannot hold (a NUL in its label) as the request\'s fault, not the server\'s', async () => {
      // PostgreSQL text cannot hold U+0000; the local store can. A push of such a run is refused, coded, storing nothing.
      const run = freshRun((r) => (r.label = 'before\u0000after'));
      const message = await refusedStoringNothing(() => send(server, 'POST', '/v1/runs', writer, documentOf(run)), 400, 'KS_SERVER_BAD_REQUEST');
      expect(message).toMatch(/NUL|\\u0000|U\+0000|null character/i);
    });
  });

  describe('ids and queries', () => {
    it('refuses a run id that is not a UUID with 400 KS_SERVER_BAD_REQUEST', async () => {
      for (const id of ['not-a-uuid', "'%20OR%201=1%20--", '%25', `${randomUUID()}x`, '..%2F..%2Fetc']) {
        expect(await refusedStoringNothing(() => send(server, 'GET', `/v1/runs/${id}`, writer), 400, 'KS_SERVER_BAD_REQUEST'), id).toBe('id: must be a run id (a UUID)');
        await refusedStoringNothing(() => send(server, 'DELETE', `/v1/runs/${id}`, writer), 400, 'KS_SERVER_BAD_REQUEST');
      }
      await refusedStoringNothing(() => send(server, 'POST', '/v1/runs/missing', writer, { ids: ['not-a-uuid'] }), 400, 'KS_SERVER_BAD_REQUEST');
    });

    it('refuses unknown query parameters and limits out of range with 400 KS_SERVER_BAD_REQUEST', async () => {
      for (const query of ['colour=blue', 'limit=0', 'limit=-1', 'limit=1.5', 'limit=abc', 'limit=10001', 'status=running', 'testbed=..%2Fx']) {
        await refusedStoringNothing(() => send(server, 'GET', `/v1/runs?${query}`, writer), 400, 'KS_SERVER_BAD_REQUEST');
      }
      for (const body of [{ colour: 'blue' }, { limit: 0 }, { limit: '5' }, { cases: 'not-a-list' }]) {
        await refusedStoringNothing(() => send(server, 'POST', '/v1/runs/overviews', writer, body), 400, 'KS_SERVER_BAD_REQUEST');
      }
      expect((await send(server, 'GET', '/v1/runs?limit=1', writer)).status).toBe(200);
    });

    it('stores SQL metacharacters in label, branch, case name and parameters exactly, and finds exactly that run by them', async () => {
      const injection = `'; DROP TABLE runs; --`;
      const label = `${injection} "quoted" back\\slash 100% under_score ünïcødé 鍵 🔑`;
      const branch = `feature/${injection}"\\%_ñ🔑`;
      const caseName = `keygen${injection.replace('runs', 'cases')}"\\%_é`;
      const run = freshRun((r) => {
        r.label = label;
        r.git = { ...r.git!, branch };
        r.cases[0]!.key = { ...r.cases[0]!.key, case: caseName };
        r.cases[0]!.parameters = { ...r.cases[0]!.parameters, [injection]: `"\\%_🔑`, 'percent%': '_', 'under_score': '%' };
      });
      const before = await counts();
      expect((await send(server, 'POST', '/v1/runs', writer, documentOf(run))).status).toBe(201);
      expect(await counts()).toEqual({ runs: before.runs + 1, cases: before.cases + run.cases.length });

      // Pulled by its branch into a new store: the run as it was pushed.
      const store = join(dir, 'metacharacters.duckdb');
      const pulled = await runCli(['pull', '--server', server.url, '--branch', branch, '--db', store], { env: { KEYSCOPE_TOKEN: writer } });
      expect(pulled.stderr).toBe('');
      expect(pulled.stdout).toMatch(new RegExp(`1 run pulled from server ${server.url}, 0 already here\\n$`));
      const local = await openStore(store, { readOnly: true });
      const back = await local.getRun(run.id).finally(() => local.close());
      expect(back).toEqual(run);
      expect(Buffer.from(back!.label!)).toEqual(Buffer.from(label));
      expect(Buffer.from(back!.git!.branch!)).toEqual(Buffer.from(branch));
      expect(Buffer.from(back!.cases[0]!.key.case)).toEqual(Buffer.from(caseName));

      const ids = async (query: string) => ((await send(server, 'GET', `/v1/runs?${query}`, writer)).body as { runs: Array<{ id: string }> }).runs.map((r) => r.id);
      expect(await ids(`label=${encodeURIComponent(label)}`)).toEqual([run.id]);
      expect(await ids(`branch=${encodeURIComponent(branch)}`)).toEqual([run.id]);
      // Equality, not LIKE: a label or branch of wildcards finds nothing.
      for (const wildcard of ['%', '_', '%25', `${injection}%`]) {
        expect(await ids(`label=${encodeURIComponent(wildcard)}`)).toEqual([]);
        expect(await ids(`branch=${encodeURIComponent(wildcard)}`)).toEqual([]);
      }
      const overviews = (await send(server, 'POST', '/v1/runs/overviews', writer, { label, cases: [caseIdentity(run.cases[0]!)] })).body as { runs: Array<{ id: string; cases: Array<{ key: { case: string } }> }> };
      expect(overviews.runs.map((r) => [r.id, r.cases.map((c) => c.key.case)])).toEqual([[run.id, [caseName]]]);

      const tables = await pool.query<{ name: string; found: string | null }>(
        "SELECT name, to_regclass(name)::text AS found FROM unnest(ARRAY['keyscope_schema', 'projects', 'tokens', 'runs', 'cases']) AS name",
      );
      expect(tables.rows.every((row) => row.found === row.name)).toBe(true);
    });

    it('refuses an idPrefix of LIKE wildcards (400), and never lets one match every run', async () => {
      const run = freshRun();
      expect((await send(server, 'POST', '/v1/runs', writer, documentOf(run))).status).toBe(201);
      for (const prefix of ['%', '_', '%%%%', '____', '%25', `${run.id.slice(0, 4)}%`, `${run.id.slice(0, 4)}_`]) {
        await refusedStoringNothing(() => send(server, 'GET', `/v1/runs?idPrefix=${encodeURIComponent(prefix)}`, writer), 400, 'KS_SERVER_BAD_REQUEST');
        await refusedStoringNothing(() => send(server, 'POST', '/v1/runs/overviews', writer, { idPrefix: prefix }), 400, 'KS_SERVER_BAD_REQUEST');
      }
      const found = (await send(server, 'GET', `/v1/runs?idPrefix=${run.id.slice(0, 13)}`, writer)).body as { runs: Array<{ id: string }> };
      expect(found.runs.map((r) => r.id)).toEqual([run.id]);
    });
  });

  describe('replays', () => {
    const rowsOf = async (id: string) =>
      (await pool.query<{ runs: number; cases: number; digest: string; label: string | null }>(
        `SELECT count(*)::int AS runs, (SELECT count(*) FROM cases c JOIN runs r USING (run_key) WHERE r.id = $1)::int AS cases,
                string_agg(encode(digest, 'hex'), ',') AS digest, string_agg(label, ',') AS label
           FROM runs WHERE id = $1`,
        [id],
      )).rows[0]!;

    it('stores the same push twice once: 201, then 200 stored:false', async () => {
      const run = freshRun();
      const document = documentOf(run);
      expect(await send(server, 'POST', '/v1/runs', writer, document)).toMatchObject({ status: 201, body: { id: run.id, stored: true } });
      const stored = await rowsOf(run.id);
      expect(stored).toMatchObject({ runs: 1, cases: run.cases.length });
      expect(await send(server, 'POST', '/v1/runs', writer, document)).toMatchObject({ status: 200, body: { id: run.id, stored: false } });
      expect(await rowsOf(run.id)).toEqual(stored);
    });

    it('stores two simultaneous pushes of one run once', async () => {
      const run = freshRun();
      const answers = await Promise.all([0, 1].map(() => send(server, 'POST', '/v1/runs', writer, documentOf(run))));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      expect(await rowsOf(run.id)).toMatchObject({ runs: 1, cases: run.cases.length });
    });

    it('refuses the same id with other content with 409 KS_SERVER_RUN_CONFLICT, changing nothing', async () => {
      const run = freshRun();
      expect((await send(server, 'POST', '/v1/runs', writer, documentOf(run))).status).toBe(201);
      const stored = await rowsOf(run.id);
      const altered = [
        freshRun((r) => Object.assign(r, { id: run.id, label: 'another label' })),
        freshRun((r) => {
          r.id = run.id;
          const first = r.cases.find((c) => c.state === 'completed')!;
          if (first.state === 'completed') first.samples.ns[0] = first.samples.ns[0]! + 1;
        }),
      ];
      for (const other of altered) {
        const message = await refusedStoringNothing(() => send(server, 'POST', '/v1/runs', writer, documentOf(other)), 409, 'KS_SERVER_RUN_CONFLICT');
        expect(message).toBe(`project main already has a different run with id ${run.id}; nothing was changed`);
      }
      expect(await rowsOf(run.id)).toEqual(stored);
      expect(decodeInlineDocument((await send(server, 'GET', `/v1/runs/${run.id}`, writer)).body)).toEqual(run);
    });

    it('takes the run it returns, pushed again, as the same run (200 stored:false), not a conflict', async () => {
      const run = freshRun();
      expect((await send(server, 'POST', '/v1/runs', writer, documentOf(run))).status).toBe(201);
      const returned = (await send(server, 'GET', `/v1/runs/${run.id}`, writer)).body;
      expect(decodeInlineDocument(returned)).toEqual(run);
      expect(await send(server, 'POST', '/v1/runs', writer, returned)).toMatchObject({ status: 200, body: { id: run.id, stored: false } });
    });
  });

  describe('rate limit', () => {
    let limited: RunningServer;
    beforeAll(async () => (limited = await startServer({ databaseUrl: db.url, port: 0, rateLimit: 5 })));
    afterAll(() => limited?.close());

    it('answers the 6th request in a minute with one token 429 KS_SERVER_RATE_LIMITED (retryable), and serves another token', async () => {
      const busy = await tokenFor('main', 'runs:read');
      const calm = await tokenFor('main', 'runs:read');
      for (let i = 0; i < 5; i++) expect((await send(limited, 'GET', '/v1/runs?limit=1', busy)).status).toBe(200);
      const sixth = await send(limited, 'GET', '/v1/runs?limit=1', busy);
      expect(expectCodedError(sixth, 429, 'KS_SERVER_RATE_LIMITED', true)).toMatch(/^more than 5 requests a minute for this token: retry in \d+ s$/);
      expect((await send(limited, 'GET', '/v1/runs?limit=1', calm)).status).toBe(200);
    });

    it('limits requests whose token the server does not know as well, before looking it up', async () => {
      // The header of http-app.ts: the rate limit comes before the token is looked up, so a flood of guesses is limited too.
      const unknown = `ks_${randomBytes(8).toString('hex')}_`;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await send(limited, 'GET', '/v1/runs', `${unknown}${randomBytes(32).toString('base64url')}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    });
  });

  describe('the database going away while the server runs', () => {
    let gone: TestDatabase;
    let direct: RunningServer;
    let token: string;
    beforeAll(async () => {
      gone = await createTestDatabase({ role: true });
      direct = await startServer({ databaseUrl: gone.url, port: 0 });
      const tokens = new pg.Pool({ connectionString: gone.url });
      token = (await createToken(tokens, { project: 'main', scopes: ['runs:write', 'runs:read'] }).finally(() => tokens.end())).token;
      secrets.push(secretOf(token));
    });
    afterAll(async () => {
      await direct?.close();
      await gone?.drop();
    });

    const asSuperuser = <T>(work: (client: pg.Client) => Promise<T>) => withClient(superuserUrl(), work);
    const serverConnections = async () =>
      (await asSuperuser((c) => c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'keyscope-server'", [gone.name]))).rows[0]!.n;
    /** Ends every connection the server has to its database (pg_terminate_backend), and waits until they are gone. */
    async function terminateServerConnections(): Promise<void> {
      await asSuperuser((c) => c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'keyscope-server'", [gone.name]));
      while ((await serverConnections()) > 0);
    }
    const storedCopies = async (id: string) => (await withClient(gone.url, (c) => c.query('SELECT 1 FROM runs WHERE id = $1', [id]))).rowCount;
    const pushTo = (to: RunningServer, run: RunRecord, signal?: AbortSignal) =>
      fetch(`${to.url}/v1/runs`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(documentOf(run)), ...(signal ? { signal } : {}) }).then(answerOf);

    it('gets past every connection being ended between requests: the client pushes, once', async () => {
      expect((await pushTo(direct, freshRun())).status).toBe(201);
      await terminateServerConnections();
      const run = freshRun();
      const remote = new RemoteRuns(new ServerClient(new URL(direct.url), token, { retries: 3, backoffMs: 20 }));
      expect(await remote.put(documentOf(run))).toBe(true);
      expect(await storedCopies(run.id)).toBe(1);
    });

    it('answers a push whose connection is ended mid-transaction 503 KS_SERVER_UNAVAILABLE (retryable), storing nothing', async () => {
      const run = freshRun();
      const locker = new pg.Client({ connectionString: gone.url });
      await locker.connect();
      let answer: Answer;
      try {
        // The push waits for this lock inside its transaction; its connection is ended while it waits.
        await locker.query('BEGIN; LOCK TABLE runs IN ACCESS EXCLUSIVE MODE');
        const pending = pushTo(direct, run);
        // Asked on connections of its own: pg_stat_activity stays as it was within the locker's transaction.
        const waiting = async () =>
          (await asSuperuser((c) => c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'keyscope-server' AND wait_event_type = 'Lock'", [gone.name]))).rows[0]!.n;
        while ((await waiting()) === 0);
        await terminateServerConnections();
        answer = await pending;
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
      expect(expectCodedError(answer, 503, 'KS_SERVER_UNAVAILABLE', true)).toBe('the database is unavailable: nothing was stored; retry');
      expect(await storedCopies(run.id)).toBe(0);
      expect((await pushTo(direct, run)).status).toBe(201);
    });

    it('answers 503 KS_SERVER_UNAVAILABLE (retryable) while the database accepts no connections, and recovers after', async () => {
      const run = freshRun();
      const allow = (yes: boolean) => asSuperuser((c) => c.query(`ALTER DATABASE ${c.escapeIdentifier(gone.name)} ALLOW_CONNECTIONS ${yes}`));
      let answer: Answer;
      await allow(false);
      try {
        await terminateServerConnections();
        answer = await pushTo(direct, run);
      } finally {
        await allow(true);
      }
      expect(answer.status).not.toBe(201);
      expect(await storedCopies(run.id)).toBe(0);
      expect((await pushTo(direct, run)).status).toBe(201);
      expectCodedError(answer, 503, 'KS_SERVER_UNAVAILABLE', true);
    });

    it('answers a coded error, never 201, while its role may not connect, and recovers after', async () => {
      const run = freshRun();
      const connect = (verb: 'GRANT' | 'REVOKE') =>
        asSuperuser((c) => c.query(`${verb} CONNECT ON DATABASE ${c.escapeIdentifier(gone.name)} ${verb === 'GRANT' ? 'TO' : 'FROM'} PUBLIC, ${c.escapeIdentifier(gone.owner)}`));
      let answer: Answer;
      await connect('REVOKE');
      try {
        await terminateServerConnections();
        answer = await pushTo(direct, run);
      } finally {
        await connect('GRANT');
      }
      // What happens (see the report): 500 KS_SERVER_INTERNAL, not retryable.
      expect([401, 500, 503]).toContain(answer.status);
      expect(answer.body).toEqual({ error: { code: expect.stringMatching(/^KS_SERVER_/) as string, message: expect.any(String) as string, retryable: answer.status === 503 } });
      expect(answer.text).not.toMatch(stackTrace);
      expect(await storedCopies(run.id)).toBe(0);
      expect((await pushTo(direct, run)).status).toBe(201);
    });

    describe('a database that stops answering (its connections go silent)', () => {
      let proxy: SilenceableProxy;
      let behind: RunningServer;
      beforeAll(async () => {
        proxy = await silenceableProxy(Number(new URL(gone.url).port));
        const url = new URL(gone.url);
        url.port = String(proxy.port);
        behind = await startServer({ databaseUrl: url.toString(), port: 0, queryTimeoutMs: 5_000 });
      });
      afterAll(async () => {
        proxy?.cut();
        await behind?.close();
        await proxy?.close();
      });

      it(
        'answers a push with a coded 503 rather than hanging',
        async () => {
          expect((await pushTo(behind, freshRun())).status).toBe(201);
          proxy.silence();
          const run = freshRun();
          // A bound on waiting, not a timing assertion: this server's query timeout is 5 s (queryTimeoutMs); 30 s
          // without any answer is a hang.
          const answer = await pushTo(behind, run, AbortSignal.timeout(30_000)).catch((error: Error) => error);
          proxy.cut();
          expect(answer instanceof Error ? `no answer in 30 s (${answer.name})` : answer.status).toBe(503);
          expectCodedError(answer as Answer, 503, 'KS_SERVER_UNAVAILABLE', true);
          expect(await storedCopies(run.id)).toBe(0);
        },
        60_000,
      );
    });
  });
});

interface SilenceableProxy {
  port: number;
  /** From now on, nothing passes either way; the connections stay open. */
  silence(): void;
  /** Destroys every connection (and lets new ones pass again). */
  cut(): void;
  close(): Promise<void>;
}

/** A TCP proxy to 127.0.0.1:`target` that can go silent: a database host that stops answering. */
async function silenceableProxy(target: number): Promise<SilenceableProxy> {
  let silent = false;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    track(client);
    track(upstream);
    client.on('data', (data) => void (silent || upstream.write(data)));
    upstream.on('data', (data) => void (silent || client.write(data)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    silence: () => void (silent = true),
    cut() {
      for (const socket of sockets) socket.destroy();
      silent = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
