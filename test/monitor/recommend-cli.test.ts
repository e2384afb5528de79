import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeEach, describe, expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { main } from '../../src/cli/main.js';
import { recommendCommand } from '../../src/cli/recommend-command.js';
import { ErrorCodes } from '../../src/core/errors.js';
import { openStore } from '../../src/store/index.js';
import { insertEvents } from '../support/analytics-query-fixtures.js';
import { completed, makeRun } from '../support/store-fixtures.js';
import { capturedIO } from '../support/cli.js';

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

/**
 * A run like a default bench on a busy machine: RSA at five sizes, each 10x+ an equal-strength EC or EdDSA key
 * (five costlier findings, the larger the saving the bigger the key), an EC key of each strength, and six cases
 * too imprecise to gate (one finding).
 */
async function withManyFindings(): Promise<string> {
  const caseOf = (suite: string, name: string, algorithm: string, typicalNs: number, reached = 0.005) => {
    const c = completed({ key: { suite, case: name, implementation: 'keyscope', algorithm }, ns: Float64Array.from({ length: 30 }, (_, i) => typicalNs + i), stoppedBy: 'budget' });
    c.precision = { ...c.precision, reached };
    return c;
  };
  const cases = [
    ...['ed25519', 'ec-p384', 'ec-p521'].map((algorithm) => caseOf('keygen', algorithm, algorithm, 50_000)),
    ...[['rsa-2048', 1e8], ['rsa-3072', 2e8], ['rsa-4096', 5e8], ['rsa-7680', 4e9], ['rsa-15360', 3e10]].map(([algorithm, ns]) => caseOf('keygen', String(algorithm), String(algorithm), Number(ns))),
    ...Array.from({ length: 6 }, (_, i) => caseOf('imprecise', `case-${i + 1}`, 'x25519', 1000, 0.05 + i * 0.01)),
  ];
  const store = await openStore(storePath);
  const run = { ...makeRun({ startedAt: new Date(nowMs - 60_000).toISOString() }), cases };
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
        "1. [high] generateKeyPairSync('rsa-4096') blocks the event loop for 400.56 ms (p50), 1002.44 ms (p90)",
        "   Call generateKeyPair('rsa-4096') (async): it runs the same key generation on the thread pool, so the event loop keeps serving while the primes are found.",
        `   evidence (analytics, ${since} .. ${new Date(nowMs).toISOString()}):`,
        '     api=generateKeyPairSync sizes=1 keys=6 worstP90Ms=1002 thresholdMs=50',
        '',
      ].join('\n'),
    );
  });

  it('works from the run store alone, as JSON', async () => {
    const runId = await withImpreciseRun();
    const { io, stdout } = fakeIO(home);
    expect(await recommendCommand({ db: storePath, json: true, now }, io)).toBe(0);
    const output = JSON.parse(stdout()) as { sources: unknown; recommendations: { id: string; covers: { values: Record<string, unknown> }[]; evidence: { values: Record<string, unknown> } }[] };
    expect(output.sources).toEqual({ analytics: null, store: storePath });
    expect(output.recommendations.map((r) => r.id)).toEqual([`imprecise-bench-case:${runId}`]);
    expect(output.recommendations[0]!.evidence.values).toMatchObject({ runId, cases: 1, worstPrecision: 0.08 });
    expect(output.recommendations[0]!.covers[0]!.values).toMatchObject({ case: 'ed25519', precision: 0.08, samples: 50 });
    expect(existsSync(join(home, 'analytics.duckdb'))).toBe(false);
  });

  it('reads both when both exist', async () => {
    await withSyncRsa();
    const runId = await withImpreciseRun();
    const { io, stdout } = fakeIO(home);
    expect(await recommendCommand({ db: storePath, json: true, now }, io)).toBe(0);
    const output = JSON.parse(stdout()) as { recommendations: { id: string }[] };
    expect(output.recommendations.map((r) => r.id)).toEqual(['sync-rsa-blocks-event-loop', `imprecise-bench-case:${runId}`]);
  });

  it('lists one item per finding, ranked, the top 5 unless --all, and says how many more there are', async () => {
    const runId = await withManyFindings();
    const short = fakeIO(home);
    expect(await recommendCommand({ db: storePath, now }, short.io)).toBe(0);
    const text = short.stdout();
    expect(text.split('\n')[0]).toMatch(/^6 recommendations, the top 5 by severity then impact since /);
    const items = text.split('\n').filter((line) => /^\d+\. /.test(line));
    // Medium (a costlier algorithm) by the time it would save, largest first; the low finding is not shown.
    expect(items.map((line) => /^(\d+)\. \[(\w+)\] (\S+)/.exec(line)!.slice(1))).toEqual([
      ['1', 'medium', 'rsa-15360'],
      ['2', 'medium', 'rsa-7680'],
      ['3', 'medium', 'rsa-4096'],
      ['4', 'medium', 'rsa-3072'],
      ['5', 'medium', 'rsa-2048'],
    ]);
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 more finding ranked below these: keyscope recommend --all');

    const all = fakeIO(home);
    expect(await recommendCommand({ db: storePath, now, all: true }, all.io)).toBe(0);
    const lines = all.stdout().split('\n');
    expect(lines[0]).toMatch(/^6 recommendations since /);
    expect(lines.filter((line) => /^\d+\. /.test(line))).toHaveLength(6);
    expect(all.stdout()).not.toContain('more finding');
    // The six imprecise cases are one item that lists them, worst first.
    const imprecise = lines.findIndex((line) => line.startsWith('6. [low] 6 bench cases are measured too loosely to gate on'));
    expect(imprecise).toBeGreaterThan(0);
    expect(lines[imprecise + 2]).toBe('   covers 6:');
    expect(lines.slice(imprecise + 3, imprecise + 9).map((line) => line.trim().split(':')[0])).toEqual([6, 5, 4, 3, 2, 1].map((n) => `imprecise/case-${n} keyscope x25519`));

    const json = fakeIO(home);
    expect(await recommendCommand({ db: storePath, now, json: true }, json.io)).toBe(0);
    const output = JSON.parse(json.stdout()) as { total: number; more: number; recommendations: { id: string; covers: unknown[] }[] };
    expect([output.total, output.more, output.recommendations.length]).toEqual([6, 1, 5]);
    const everything = fakeIO(home);
    expect(await recommendCommand({ db: storePath, now, json: true, all: true }, everything.io)).toBe(0);
    const allOutput = JSON.parse(everything.stdout()) as { more: number; recommendations: { id: string; covers: unknown[] }[] };
    expect(allOutput.more).toBe(0);
    expect(allOutput.recommendations.at(-1)).toMatchObject({ id: `imprecise-bench-case:${runId}`, covers: expect.any(Array) as unknown });
    expect(allOutput.recommendations.at(-1)!.covers).toHaveLength(6);
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
