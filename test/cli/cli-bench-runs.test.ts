import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { runCli } from '../support/cli.js';

// Inside the package (test-artifacts/ is git-ignored) so that the suite resolves 'keyscope' to this checkout.
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
const dir = mkdtempSync(join(artifacts, 'cli-bench-'));
const db = join(dir, 'store.duckdb');
writeFileSync(
  join(dir, 'tiny.suite.ts'),
  `import { defineSuite } from 'keyscope';
export default defineSuite({
  name: 'tiny',
  budget: { maxTimeMs: 200 },
  cases: () => [
    { kind: 'native', name: 'keygen', algorithm: 'ed25519' },
    { kind: 'js', name: 'keygen', implementation: 'noop', algorithm: 'ed25519', fn: () => 1 },
  ],
});
`,
);
writeFileSync(
  join(dir, 'long.suite.ts'),
  `import { defineSuite } from 'keyscope';
export default defineSuite({
  name: 'long',
  cases: () => [
    { kind: 'native', name: 'first', algorithm: 'ed25519', budget: { maxTimeMs: 100 } },
    { kind: 'native', name: 'slow', algorithm: 'rsa-2048', budget: { maxTimeMs: 24000, precision: 0 } },
  ],
});
`,
);

describe('keyscope bench and runs', () => {
  it('writes a complete run to the store and prints the table', async () => {
    const result = await runCli(['bench', 'tiny', '--dir', dir, '--db', db, '--label', 'baseline', '--no-pin']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/tiny\/keygen\s+keyscope-native\s+ed25519/);
    expect(result.stdout).toMatch(/saved to .*store\.duckdb/);
    // Not a terminal: one plain progress line per case.
    expect(result.stderr).toMatch(/\[1\/2\] tiny\/keygen keyscope-native ed25519: /);

    const list = JSON.parse((await runCli(['runs', 'list', '--json', '--db', db])).stdout) as { id: string; status: string; label: string; cases: number }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'complete', label: 'baseline', cases: 2 });

    const shown = JSON.parse((await runCli(['runs', 'show', list[0]!.id, '--json', '--db', db])).stdout) as { cases: { state: string; samples: { ns: number[] } }[] };
    expect(shown.cases.map((c) => c.state)).toEqual(['completed', 'completed']);
    expect(shown.cases[0]!.samples.ns.length).toBeGreaterThan(10);
  }, 60_000);

  it('stores an interrupted run as aborted, with every case as far as it got', async () => {
    const abortedDb = join(dir, 'aborted.duckdb');
    const { spawn } = await import('node:child_process');
    const { binPath } = await import('../support/cli.js');
    const child = spawn(process.execPath, [binPath, 'bench', 'long', '--dir', dir, '--db', abortedDb, '--no-pin'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The first round has finished (a block of each case, 1.2 s of RSA): interrupt the second, like Ctrl-C.
      if (stderr.includes('round 1/20 done')) child.kill('SIGINT');
    });
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(status).toBe(130);
    const list = JSON.parse((await runCli(['runs', 'list', '--json', '--db', abortedDb])).stdout) as { status: string; cases: number }[];
    expect(list).toEqual([expect.objectContaining({ status: 'aborted', cases: 2 })]);
  }, 60_000);

  it('refuses a bad --blocks and a bad KEYSCOPE_BENCH_HANDICAP before measuring anything', async () => {
    const blocks = await runCli(['bench', 'tiny', '--dir', dir, '--db', db, '--blocks', '0']);
    expect(blocks.status).toBe(2);
    expect(blocks.stderr).toBe('keyscope: error KS_USAGE: --blocks must be a whole number from 1 to 1000, got "0"\n');
    const handicap = await runCli(['bench', 'tiny', '--dir', dir, '--db', db], { env: { KEYSCOPE_BENCH_HANDICAP: 'fast' } });
    expect(handicap.status).toBe(2);
    expect(handicap.stderr).toMatch(/^keyscope: error KS_INVALID_OPTION: KEYSCOPE_BENCH_HANDICAP .*"fast"\n$/);
  });

  it('says so when KEYSCOPE_BENCH_HANDICAP slows a run, and records it', async () => {
    const slowedDb = join(dir, 'slowed.duckdb');
    const result = await runCli(['bench', 'tiny', '--dir', dir, '--db', slowedDb, '--blocks', '2', '--no-pin'], { env: { KEYSCOPE_BENCH_HANDICAP: '10%' } });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('KEYSCOPE_BENCH_HANDICAP is set: every operation is slowed by 10% on purpose');
    const [listed] = JSON.parse((await runCli(['runs', 'list', '--json', '--db', slowedDb])).stdout) as { id: string }[];
    const shown = await runCli(['runs', 'show', listed!.id, '--db', slowedDb]);
    expect(shown.stdout).toContain('HANDICAPPED: every operation slowed by 10% on purpose');
  }, 60_000);

  it('fails cleanly on an unknown suite and on a run that does not exist', async () => {
    const unknown = await runCli(['bench', 'nope', '--dir', dir, '--db', db]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('keyscope: error KS_SUITE_NOT_FOUND: no suite matches "nope" (suites: long, tiny; built in: default, seeded)\n');
    const missing = await runCli(['runs', 'show', '00000000-0000-0000-0000-000000000000', '--db', db]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^keyscope: error KS_RUN_NOT_FOUND: /);
  });
});
