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
    { kind: 'native', name: 'slow', algorithm: 'rsa-2048', budget: { maxTimeMs: 120000, precision: 0 } },
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

  it('stores an interrupted run as aborted, with the cases that finished', async () => {
    const abortedDb = join(dir, 'aborted.duckdb');
    const { spawn } = await import('node:child_process');
    const { binPath } = await import('../support/cli.js');
    const child = spawn(process.execPath, [binPath, 'bench', 'long', '--dir', dir, '--db', abortedDb, '--no-pin'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The first case has finished: interrupt the second, like Ctrl-C.
      if (stderr.includes('[1/2]')) child.kill('SIGINT');
    });
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(status).toBe(130);
    const list = JSON.parse((await runCli(['runs', 'list', '--json', '--db', abortedDb])).stdout) as { status: string; cases: number }[];
    expect(list).toEqual([expect.objectContaining({ status: 'aborted', cases: 1 })]);
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
