import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { openStore } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { makeRun } from '../support/store-fixtures.js';

// Inside the package (test-artifacts/ is git-ignored) so that the suite resolves 'keyscope' to this checkout.
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
const suites = mkdtempSync(join(artifacts, 'cli-bench-provenance-'));
writeFileSync(
  join(suites, 'one.suite.ts'),
  `import { defineSuite } from 'keyscope';
export default defineSuite({
  name: 'one',
  budget: { maxTimeMs: 100 },
  cases: () => [{ kind: 'native', name: 'keygen', algorithm: 'ed25519' }],
});
`,
);
/** Outside any git checkout, so that only the flags say where the run came from. */
const outside = mkdtempSync(join(tmpdir(), 'keyscope-bench-provenance-'));
const existing = join(outside, 'existing.duckdb');

/** The outer environment's CI, if any, must not name a branch or commit. */
const noCi = { GITHUB_ACTIONS: '', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: '', GITHUB_REF_TYPE: '', GITHUB_SHA: '', GITLAB_CI: '', BUILDKITE: '', CIRCLECI: '', JENKINS_URL: '', CI: '' };
const bench = (...args: string[]) => runCli(['bench', 'one', '--dir', suites, '--no-pin', '--blocks', '2', ...args], { cwd: outside, env: noCi });
const commit = '0123456789ABCDEF0123456789abcdef01234567';

beforeAll(async () => {
  const store = await openStore(existing);
  try {
    await store.saveRun(makeRun({ samples: 40 }));
  } finally {
    await store.close();
  }
});

describe('keyscope bench --branch/--commit/--testbed/--save-baseline', () => {
  it.each([
    [['--commit', 'not-a-sha'], 'KS_USAGE: --commit must be a commit id of 7 to 64 hex digits, got "not-a-sha"'],
    [['--branch', 'my branch'], 'KS_USAGE: --branch must be a git branch name (no spaces or control characters, at most 255 characters), got "my branch"'],
    [['--branch', 'a\u0001b'], 'KS_USAGE: --branch must be a git branch name (no spaces or control characters, at most 255 characters), got "a\u0001b"'],
    [['--branch', 'main~1'], 'KS_USAGE: --branch must be a git branch name (no spaces or control characters, at most 255 characters), got "main~1"'],
    [['--testbed', '-lab'], 'KS_USAGE: --testbed must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit, got "-lab"'],
    [['--save-baseline', 'x', '--label', 'y'], 'KS_USAGE: --save-baseline x names the run, and so does --label y: give one of them'],
    [['--branch', 'feat/x'], 'KS_USAGE: a branch (feat/x) needs a commit: run in a git checkout or give the commit too'],
  ])('refuses %j with exit status 2 and one line, creating no store', async (args, error) => {
    const db = join(mkdtempSync(join(tmpdir(), 'keyscope-bench-refused-')), 'store.duckdb');
    const result = await bench(...args, '--db', db);
    expect(result.stderr).toBe(`keyscope: error ${error}\n`);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(existsSync(db)).toBe(false);
  });

  it('leaves an existing store as it was when it refuses the flags', async () => {
    const before = readFileSync(existing);
    for (const args of [['--commit', 'xyz'], ['--branch', 'a b'], ['--testbed', 'a/b'], ['--save-baseline', 'x', '--label', 'y']]) {
      const result = await bench(...args, '--db', existing);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^keyscope: error KS_USAGE: --(commit|branch|testbed|save-baseline) [^\n]*\n$/);
    }
    expect(readFileSync(existing).equals(before)).toBe(true);
  });

  it('records the named branch, commit and testbed, and stores the run as the named baseline', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'keyscope-bench-named-')), 'store.duckdb');
    const result = await bench('--branch', 'feat/x', '--commit', commit, '--testbed', 'lab', '--save-baseline', 'nightly', '--db', db);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/one\/keygen\s+keyscope-native\s+ed25519/);

    const store = await openStore(db);
    try {
      const runs = await store.findRuns();
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ label: 'nightly', testbed: 'lab', branch: 'feat/x', commit: commit.toLowerCase(), status: 'complete' });
      expect(await store.findRuns({ testbed: 'lab', label: 'nightly', branch: 'feat/x' })).toHaveLength(1);
      const run = await store.getRun(runs[0]!.id);
      expect(run?.git).toEqual({ commit: commit.toLowerCase(), branch: 'feat/x', dirty: false });
      expect(run?.testbed).toBe('lab');
      expect(run?.label).toBe('nightly');
    } finally {
      await store.close();
    }
  }, 30_000);
});
