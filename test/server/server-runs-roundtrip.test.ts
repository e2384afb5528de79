/**
 * A run through the team server is the run: pushed from one store and pulled into another it deep-equals the
 * original (samples, summaries, blocks, histograms, counters, special numbers), and the overviews the server
 * computes for histories (block medians from samples, case-overview.ts) equal those the local store computes in
 * DuckDB, for real runs: two quick runs, and RSA runs with prime candidates from Node 20 and Node 24.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, expect, it } from 'vitest';

import type { RunRecord } from '../../src/model/types.js';
import { pullRuns, pushRuns, RemoteRuns, ServerClient } from '../../src/remote/index.js';
import { createToken, openServerDatabase, type RunningServer, startServer } from '../../src/server/index.js';
import { openStore, readRunExport, type RunStore } from '../../src/store/index.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/postgres.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const fixtures = ['quick-run-a.parquet', 'quick-run-b.parquet', 'runtimes/node20-rsa-ec-2026-12-07.json', 'runtimes/node24-rsa-ec-2026-12-07.json'];

async function storeWith(runs: RunRecord[]): Promise<RunStore> {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'keyscope-roundtrip-')), 'r.duckdb'), { create: true });
  for (const run of runs) await store.saveRun(run);
  return store;
}

describeWithPostgres('runs through the team server', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let remote: RemoteRuns;
  let runs: RunRecord[];
  let source: RunStore;
  let target: RunStore;

  beforeAll(async () => {
    database = await createTestDatabase({ role: true });
    server = await startServer({ databaseUrl: database.url, port: 0 });
    const { pool } = await openServerDatabase(database.url);
    const { token } = await createToken(pool, { project: 'p', scopes: ['runs:write', 'runs:read'] });
    await pool.end();
    remote = new RemoteRuns(new ServerClient(new URL(server.url), token));
    runs = await Promise.all(fixtures.map((name) => readRunExport(fixture(name))));
    expect(runs.some((run) => run.cases.some((c) => c.state === 'completed' && c.samples.candidates !== null))).toBe(true);
    source = await storeWith(runs);
    target = await storeWith([]);
  });

  afterAll(async () => {
    await source?.close();
    await target?.close();
    await server?.close();
    await database?.drop();
  });

  it('push stores each run once, pull brings each back once, and the pulled runs equal the pushed', async () => {
    const pushed = await pushRuns(source, remote, []);
    expect(pushed.pushed.map((r) => r.id).sort()).toEqual(runs.map((r) => r.id).sort());
    expect((await pushRuns(source, remote, [])).pushed).toEqual([]);
    expect((await pullRuns(target, remote, undefined)).pulled).toHaveLength(runs.length);
    expect((await pullRuns(target, remote, undefined)).pulled).toEqual([]);
    for (const run of runs) {
      expect(await target.getRun(run.id)).toEqual(await source.getRun(run.id));
      expect(await remote.getRun(run.id)).toEqual(await source.getRun(run.id));
    }
  });

  it("the server's overviews are the local store's, block medians and medians per candidate included", async () => {
    const local = await source.findRunOverviews({});
    const fromServer = await remote.findRunOverviews({});
    expect(fromServer).toEqual(local);
    const perCandidate = fromServer.flatMap((run) => run.cases.flatMap((c) => c.blockMedians.filter((b) => b.medianPerCandidate !== null)));
    expect(perCandidate.length).toBeGreaterThan(0);
  });

  it('listings and filters select what the local store selects, in its order', async () => {
    for (const filter of [{}, { branch: 'main' }, { testbed: runs[0]!.testbed }, { status: 'complete' as const, limit: 2 }, { label: 'q1' }, { idPrefix: runs[1]!.id.slice(0, 6) }]) {
      expect(await remote.findRuns(filter)).toEqual(await source.findRuns(filter));
    }
  });
});
