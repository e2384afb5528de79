/**
 * The CI recipe of docs/server.md, simulated on this machine against a real server on a real PostgreSQL: every
 * job starts from an empty directory (nothing cached between jobs), main's jobs push their run, pull-request jobs
 * judge theirs against main's history read from the server. The runs are real quick runs (test/fixtures), each
 * with its own id, commit and day, scaled by run-to-run noise of a percent or two.
 *
 * It also proves "one implementation, two sources": the verdicts and the history read from the server are those
 * the same runs give from a local store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import type { RunRecord } from '../../src/model/types.js';
import { openStore } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/postgres.js';
import { realQuickRuns, rerun, type ServerProcess, startServerProcess } from '../support/server-fixtures.js';

/** A fresh job directory, as a CI runner starts with, and a store in it holding `runs` (what `keyscope bench` leaves). */
async function freshJob(runs: RunRecord[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-ci-job-'));
  const db = join(dir, 'keyscope.duckdb');
  const store = await openStore(db, { create: true });
  for (const run of runs) await store.saveRun(run);
  await store.close();
  return db;
}

// Run-to-run noise of real runs on this VM: a percent or two (docs/benchmarks.md).
const noise = [1.0, 1.012, 0.991, 1.007, 0.995, 1.015, 1.003];

describeWithPostgres('CI against the team server', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let mainToken: string;
  let prToken: string;
  let mainRuns: RunRecord[];
  let candidate: RunRecord;
  let slowCandidate: RunRecord;

  beforeAll(async () => {
    database = await createTestDatabase({ role: true });
    server = await startServerProcess(database.url);
    const token = async (scope: string, name: string) => {
      const made = await runCli(['server', 'token', 'create', '--project', 'keyscope', '--scope', scope, '--name', name], { env: { KEYSCOPE_DATABASE_URL: database.url } });
      expect(made.stderr).toBe('');
      return made.stdout.trim();
    };
    mainToken = await token('runs:write,runs:read', 'main CI');
    prToken = await token('runs:read', 'pull requests');
    const [a, b] = await realQuickRuns();
    mainRuns = noise.map((factor, day) => rerun(day % 2 === 0 ? a : b, { factor, day: day + 1, branch: 'main', commit: `c0ffee${day}` }));
    candidate = rerun(b, { factor: 1.004, day: 20, branch: 'feature', commit: 'feed01' });
    slowCandidate = rerun(b, { factor: 1.004, day: 21, branch: 'feature', commit: 'feed02', slower: { algorithm: 'ec-p256', factor: 1.3 } });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it("main's jobs push their runs; pushing again stores nothing twice", async () => {
    for (const run of mainRuns) {
      const db = await freshJob([run]);
      const pushed = await runCli(['push', '--server', server.url, '--db', db], { env: { KEYSCOPE_TOKEN: mainToken } });
      expect(pushed.stderr).toBe('');
      expect(pushed.status).toBe(0);
      expect(pushed.stdout).toContain(`pushed ${run.id}  main@c0ffee`);
      expect(pushed.stdout).toMatch(/^1 run pushed to server http:\/\/127\.0\.0\.1:\d+, 0 already there$/m);
      const again = await runCli(['push', '--server', server.url, '--db', db], { env: { KEYSCOPE_TOKEN: mainToken } });
      expect(again.stdout).toMatch(/^0 runs pushed to server \S+, 1 already there$/m);
    }
    const listed = await runCli(['runs', 'list', '--json', '--db', await pulledStore(prToken)]);
    const ids = (JSON.parse(listed.stdout) as { id: string; branch: string; commit: string; testbed: string }[]).map((r) => r.id).sort();
    expect(ids).toEqual(mainRuns.map((r) => r.id).sort());
  });

  /** A fresh job that pulls everything the server has. */
  async function pulledStore(token: string): Promise<string> {
    const db = await freshJob([]);
    const pulled = await runCli(['pull', '--server', server.url, '--db', db], { env: { KEYSCOPE_TOKEN: token } });
    expect(pulled.stderr).toBe('');
    return db;
  }

  it("a pull request's run is judged against main's history from the server, exactly as from a local store", async () => {
    const db = await freshJob([candidate]);
    const viaServer = await runCli(['compare', '--baseline-branch', 'main', '--server', server.url, '--db', db, '--format', 'json'], { env: { KEYSCOPE_TOKEN: prToken } });
    expect(viaServer.stderr).toBe('');
    expect(viaServer.status).toBe(0);
    const judged = JSON.parse(viaServer.stdout) as { against: { kind: string; branch: string; runs: number }; counts: { regressed: number } };
    expect(judged.against).toMatchObject({ kind: 'history', branch: 'main', runs: mainRuns.length });
    expect(judged.counts.regressed).toBe(0);

    const local = await freshJob([...mainRuns, candidate]);
    const viaStore = await runCli(['compare', candidate.id, '--baseline-branch', 'main', '--db', local, '--format', 'json']);
    expect(viaStore.status).toBe(0);
    expect(JSON.parse(viaServer.stdout)).toEqual(JSON.parse(viaStore.stdout));
  });

  it('a pull request that made ec-p256 30% slower fails the gate (exit 1), with the same verdicts as locally', async () => {
    const db = await freshJob([slowCandidate]);
    const viaServer = await runCli(['compare', '--baseline-branch', 'main', '--server', server.url, '--db', db], { env: { KEYSCOPE_TOKEN: prToken } });
    expect(viaServer.status).toBe(1);
    expect(viaServer.stdout).toMatch(/ec-p256.*regress/i);

    const local = await freshJob([...mainRuns, slowCandidate]);
    const viaStore = await runCli(['compare', slowCandidate.id, '--baseline-branch', 'main', '--db', local]);
    expect(viaStore.status).toBe(1);
    expect(viaServer.stdout).toBe(viaStore.stdout.replaceAll(local, db));
  });

  it("history --server prints what history --db prints for the same runs, case filter included", async () => {
    const local = await freshJob(mainRuns);
    for (const cases of [[], ['ec-p256'], ['node:crypto ed25519']]) {
      const viaServer = await runCli(['history', ...cases, '--branch', 'main', '--server', server.url, '--json'], { env: { KEYSCOPE_TOKEN: prToken } });
      const viaStore = await runCli(['history', ...cases, '--branch', 'main', '--db', local, '--json']);
      expect(viaServer.stderr).toBe('');
      expect(viaServer.status).toBe(0);
      expect(JSON.parse(viaServer.stdout)).toEqual(JSON.parse(viaStore.stdout));
    }
  });

  it("the tokens hold: the pull requests' token cannot push, and a token of another project sees no history", async () => {
    const db = await freshJob([candidate]);
    const refused = await runCli(['push', '--server', server.url, '--db', db], { env: { KEYSCOPE_TOKEN: prToken } });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/^keyscope: error KS_SERVER_FORBIDDEN: .*runs:write/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);

    const other = (await runCli(['server', 'token', 'create', '--project', 'elsewhere', '--scope', 'runs:read'], { env: { KEYSCOPE_DATABASE_URL: database.url } })).stdout.trim();
    const judged = await runCli(['compare', '--baseline-branch', 'main', '--server', server.url, '--db', db], { env: { KEYSCOPE_TOKEN: other } });
    expect(judged.status).toBe(2);
    expect(judged.stderr).toMatch(/^keyscope: error KS_NO_HISTORY: no complete run of branch main before the candidate in server http/);
  });
});
