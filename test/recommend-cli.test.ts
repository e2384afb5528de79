import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeEach, describe, expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../src/analytics/database/open-analytics-database.js';
import { analyticsPathsIn } from '../src/analytics/paths.js';
import { main } from '../src/cli/main.js';
import { recommendCommand } from '../src/cli/recommend-command.js';
import { ErrorCodes } from '../src/errors.js';
import { openStore } from '../src/store/index.js';
import { insertEvents } from './support/analytics-query-fixtures.js';
import { completed, makeRun } from './support/store-fixtures.js';
import { capturedIO } from './support/cli.js';

const fakeIO = (home: string) => capturedIO({ KEYSCOPE_HOME: home, KEYSCOPE_DB: '' });

// Recent (retention drops what is older than 180 days when the database opens) and fixed for the test.
const nowMs = Math.floor(Date.now() / 60_000) * 60_000;
const now = () => nowMs;

let home: string;
let storePath: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'keyscope-recommend-cli-'));
  storePath = join(home, 'runs', 'keyscope.duckdb');
});

async function withSyncRsa(): Promise<void> {
  const database = await openAnalyticsDatabase({ paths: analyticsPathsIn(home) });
  await insertEvents(
    database.connection,
    Array.from({ length: 6 }, (_, i) => ({
      time: nowMs - 3_600_000 + i * 1000,
      type: 'keygen.timing' as const,
      operation: 'generateKeyPairSync',
      algorithm: 'rsa-4096',
      outcome: 'ok' as const,
      durationNs: 100_000 + i * 200_000_000,
      properties: { implementation: 'keyscope', cycles: null },
    })),
  );
  await database.close();
}

async function withImpreciseRun(): Promise<string> {
  const store = await openStore(storePath);
  const c = completed({ key: { suite: 'keygen', case: 'ed25519', implementation: 'keyscope', algorithm: 'ed25519' }, ns: Float64Array.from({ length: 50 }, (_, i) => 40_000 + i) });
  c.precision = { ...c.precision, reached: 0.08 };
  const run = { ...makeRun({ startedAt: new Date(nowMs - 60_000).toISOString() }), cases: [c] };
  await store.saveRun(run);
  await store.close();
  return run.id;
}

describe('keyscope recommend', () => {
  it('works with neither source, says so, and creates no database', async () => {
    const { io, stdout } = fakeIO(home);
    expect(await recommendCommand({ db: storePath, now }, io)).toBe(0);
    expect(stdout()).toBe(`no recommendations since ${new Date(nowMs - 30 * 86_400_000).toISOString()} (no analytics database; no run store)\n`);
    expect(existsSync(join(home, 'analytics.duckdb'))).toBe(false);
    expect(existsSync(storePath)).toBe(false);
  });

  it('works from the analytics database alone, as text with the evidence', async () => {
    await withSyncRsa();
    const { io, stdout } = fakeIO(home);
    expect(await recommendCommand({ db: storePath, since: '2h', now }, io)).toBe(0);
    // Six keys at 0.1, 200.1, ... 1000.1 ms: p50 is the third (400.1 ms, HDR bucket 398.46..400.56 ms), p90 the sixth (1000.1 ms, bucket up to 1002.44 ms).
    const since = new Date(nowMs - 2 * 3_600_000).toISOString();
    expect(stdout()).toBe(
      [
        `1 recommendation since ${since} (analytics ${join(home, 'analytics.duckdb')}; no run store)`,
        '',
        "1. generateKeyPairSync('rsa-4096') blocks the event loop for 400.56 ms (p50), 1002.44 ms (p90)",
        "   Call generateKeyPair('rsa-4096') (async): it runs the same key generation on the thread pool, so the event loop keeps serving while the primes are found.",
        `   evidence (analytics, ${since} .. ${new Date(nowMs).toISOString()}):`,
        '     algorithm=rsa-4096 api=generateKeyPairSync calls=0 keys=6 p50Ms=400.6 p90Ms=1002 thresholdMs=50',
        '',
      ].join('\n'),
    );
  });

  it('works from the run store alone, as JSON', async () => {
    const runId = await withImpreciseRun();
    const { io, stdout } = fakeIO(home);
    expect(await recommendCommand({ db: storePath, json: true, now }, io)).toBe(0);
    const output = JSON.parse(stdout()) as { sources: unknown; recommendations: { id: string; evidence: { values: Record<string, unknown> } }[] };
    expect(output.sources).toEqual({ analytics: null, store: storePath });
    expect(output.recommendations.map((r) => r.id)).toEqual(['imprecise-bench-case:keygen/ed25519/keyscope']);
    expect(output.recommendations[0]!.evidence.values).toMatchObject({ runId, precision: 0.08, samples: 50 });
    expect(existsSync(join(home, 'analytics.duckdb'))).toBe(false);
  });

  it('reads both when both exist', async () => {
    await withSyncRsa();
    await withImpreciseRun();
    const { io, stdout } = fakeIO(home);
    expect(await recommendCommand({ db: storePath, json: true, now }, io)).toBe(0);
    const output = JSON.parse(stdout()) as { recommendations: { id: string }[] };
    expect(output.recommendations.map((r) => r.id)).toEqual(['sync-rsa-blocks-event-loop:rsa-4096', 'imprecise-bench-case:keygen/ed25519/keyscope']);
  });

  it('refuses a bad --since with a usage error (exit 2)', async () => {
    const { io } = fakeIO(home);
    await expect(recommendCommand({ since: 'last tuesday', now }, io)).rejects.toMatchObject({ code: ErrorCodes.usage });
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      expect(await main(['recommend', '--since', 'last tuesday', '--store', storePath], { stdout: io.stdout, env: io.env })).toBe(2);
      expect(await main(['recommend', '--frobnicate'], { stdout: io.stdout, env: io.env })).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr.join('')).toContain('keyscope: error KS_USAGE: --since must be an ISO date');
  });
});
