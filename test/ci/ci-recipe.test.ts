/**
 * The CI recipe of docs/ci.md, end to end: its workflow, read from the page, played on a local stand-in for a
 * GitHub runner (test/support/github-actions.ts) in a fresh git project that depends on this checkout, with its
 * own suite, a real store carried between jobs by the emulated Actions cache, and real `keyscope` runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { ActionsCache, type GithubEvent, type JobResult, runJob, workflowFromMarkdown } from '../support/github-actions.js';

const repository = fileURLToPath(new URL('../..', import.meta.url));
const workflow = workflowFromMarkdown(join(repository, 'docs/ci.md'));
const root = mkdtempSync(join(tmpdir(), 'keyscope-ci-recipe-'));
const project = join(root, 'app');
const cache = new ActionsCache(join(root, 'cache'));
const artifacts = join(root, 'artifacts');
mkdirSync(artifacts);

const makeKey = (keysPerCall: number) => `import { generateKeyPairSync } from 'node:crypto';

/** The code under test: ${keysPerCall === 1 ? 'one key' : `${keysPerCall} keys, where one would do`}. */
export function makeKey() {
  let key;
  for (let i = 0; i < ${keysPerCall}; i += 1) key = generateKeyPairSync('ed25519');
  return key;
}
`;

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd: project, encoding: 'utf8' });

function commit(message: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(project, path), text);
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', message);
}

/**
 * The runner's environment: no CI variables of the machine running the tests, and none of keyscope's that would
 * change what the recipe measures or where it stores it. KEYSCOPE_HOME (this test process's own, empty) and the
 * sanitizer run's KEYSCOPE_ADDON stay.
 */
const runnerEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(GITHUB_|GITLAB_|CI_|BUILDKITE|CIRCLE|JENKINS_|CHANGE_|BRANCH_NAME$|GIT_COMMIT$|KEYSCOPE_DB$|KEYSCOPE_BENCH_|CI$)/.test(name)),
);
const done = new Set<string>();
let runId = 1000;

type EventWithoutRun = GithubEvent extends infer E ? (E extends GithubEvent ? Omit<E, 'runId'> : never) : never;

function job(event: EventWithoutRun): JobResult {
  runId += 1;
  const result = runJob(workflow, 'bench', { ...event, runId } as GithubEvent, { project, cache, artifacts, env: runnerEnv, alreadyDone: done });
  // npm ci ran for real in the first job; later jobs keep its node_modules, as setup-node's cache makes it quick.
  done.add('npm ci');
  return result;
}

const step = (result: JobResult, command: string) => result.steps.find((s) => s.step.includes(command))!;
const pullRequest = (headBranch: string) => ({ name: 'pull_request' as const, number: 7, headBranch, baseBranch: 'main' });

beforeAll(() => {
  mkdirSync(join(project, 'src'), { recursive: true });
  mkdirSync(join(project, 'bench'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: project });
  commit('app', {
    'package.json': JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module', dependencies: { keyscope: `file:${repository}` } }, null, 2),
    '.gitignore': 'node_modules/\n.keyscope/\nkeyscope-report.html\n',
    'src/make-key.js': makeKey(1),
    'bench/default.suite.js': `import { defineSuite } from 'keyscope';
import { makeKey } from '../src/make-key.js';

export default defineSuite({
  name: 'default',
  budget: { maxTimeMs: 100 },
  cases: () => [{ kind: 'js', name: 'make-key', implementation: 'app', algorithm: 'ed25519', fn: makeKey }],
});
`,
  });
  // The lockfile npm ci needs, as the project would commit it (a file: dependency: nothing is downloaded).
  execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: project, env: runnerEnv, stdio: 'ignore' });
  commit('lockfile', {});
}, 120_000);

describe('the CI recipe in docs/ci.md', () => {
  it('uses first-party actions only', () => {
    const uses = workflow.jobs.bench!.steps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^actions\//);
  });

  it('passes a first pull request with a notice when main has no history yet', () => {
    git('checkout', '-q', '-b', 'first-pr');
    const result = job(pullRequest('first-pr'));
    git('checkout', '-q', 'main');

    expect(step(result, 'actions/cache/restore').output).toBe('Cache not found');
    expect(step(result, 'keyscope bench').status).toBe(0);
    const compare = step(result, 'keyscope compare');
    expect(compare.status).toBe(0);
    expect(compare.output).toMatch(/^keyscope compare: not judged: no history of main on testbed github-ubuntu-24\.04 in .*: run [0-9a-f]{8} was not judged, and passes \(--allow-no-history\)$/m);
    expect(compare.output).toMatch(/^::notice title=keyscope%3A not judged::no history of main/m);
    expect(result.summary).toContain('### keyscope: not judged');
    expect(step(result, 'actions/cache/save').skipped).toBe(true);
    expect(result.success).toBe(true);
    expect(cache.keys).toEqual([]);
  }, 120_000);

  it('grows main\'s history in the cache, one run a push, each job restoring the one before', () => {
    for (let push = 1; push <= 5; push += 1) {
      commit(`main ${push}`, {});
      const result = job({ name: 'push', branch: 'main' });
      expect(result.success, result.steps.map((s) => s.output).join('\n')).toBe(true);
      expect(step(result, 'actions/cache/restore').output).toBe(push === 1 ? 'Cache not found' : `Cache restored from key: keyscope-main-${runId - 1}`);
      expect(step(result, 'keyscope compare').skipped).toBe(true);
      expect(step(result, 'actions/cache/save').output).toBe(`Cache saved with key: keyscope-main-${runId}`);
    }
    expect(cache.keys).toHaveLength(5);
  }, 300_000);

  it('judges an unchanged pull request against the five runs of main, and gates on nothing else', () => {
    git('checkout', '-q', '-b', 'tidy');
    commit('tidy', { 'README.md': 'app\n' });
    const result = job(pullRequest('tidy'));
    git('checkout', '-q', 'main');

    expect(step(result, 'actions/cache/restore').output).toBe(`Cache restored from key: keyscope-main-${runId - 1}`);
    const compare = step(result, 'keyscope compare');
    expect(compare.output).toContain('judged against the history of main on testbed github-ubuntu-24.04: 5 past runs (at most 30)');
    expect(compare.output).toMatch(/make-key app ed25519 .*\(history: 5 runs of main on testbed github-ubuntu-24\.04, threshold [\d.]+% \((learned|--threshold; the history taught [\d.]+%)\)\)/);
    // On a shared machine an unchanged run may still land beyond a learned threshold; the gate must say so then.
    const regressed = /^1 regressed/m.test(compare.output);
    expect(compare.status).toBe(regressed ? 1 : 0);
    expect(result.success).toBe(!regressed);
    expect(step(result, 'actions/cache/save').skipped).toBe(true);
    expect(cache.keys).toHaveLength(5);
    expect(step(result, 'keyscope report').status, step(result, 'keyscope report').output).toBe(0);
  }, 120_000);

  // Twenty times the work: far beyond what a history learns on a loaded machine (a sanitizer run of the suite,
  // two test files at once, taught a threshold of +339% and measured a threefold slowdown as +66%).
  it('fails a pull request whose code does twenty times the work, naming the case on the pull request', () => {
    git('checkout', '-q', '-b', 'slow');
    commit('make twenty keys', { 'src/make-key.js': makeKey(20) });
    const result = job(pullRequest('slow'));
    git('checkout', '-q', 'main');

    const compare = step(result, 'keyscope compare');
    expect(compare.status, compare.output).toBe(1);
    expect(compare.output).toMatch(/^1 regressed, 0 improved, 0 unchanged/m);
    expect(compare.output).toMatch(/^::error title=keyscope regression%3A default\/make-key app ed25519::/m);
    expect(result.summary).toMatch(/^### keyscope: 1 regressed/m);
    expect(result.success).toBe(false);
    // The report still runs and is kept, so that a failing job shows why.
    expect(step(result, 'keyscope report').status, step(result, 'keyscope report').output).toBe(0);
    expect(step(result, 'actions/upload-artifact').output).toBe('Artifact keyscope-report uploaded');
    expect(cache.keys).toHaveLength(5);
  }, 120_000);
});
