/**
 * Where a run was measured from: the CI's variables, a real git checkout, the --branch/--commit/--testbed
 * overrides, and the order in which they win, field by field.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { checkProvenanceOverrides, ciProvenance, gitState, type ProvenanceOverrides, resolveGit, resolveGitBranch, resolveTestbed } from '../../src/bench/provenance.js';
import { InvalidArgumentError } from '../../src/core/index.js';
import { derivedTestbed } from '../../src/model/index.js';
import { environment } from '../support/store-fixtures.js';

const git = (args: string[], cwd: string) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const commitAll = (cwd: string, message: string) => git(['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', 'commit', '-q', '-a', '-m', message], cwd);

/** A fresh repository on branch `topic` with one commit of a.txt; returns its directory and that commit. */
function repository(): { dir: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-provenance-'));
  git(['init', '-q', '-b', 'topic'], dir);
  writeFileSync(join(dir, 'a.txt'), 'one\n');
  git(['add', 'a.txt'], dir);
  commitAll(dir, 'first');
  return { dir, head: git(['rev-parse', 'HEAD'], dir) };
}

const notARepository = () => mkdtempSync(join(tmpdir(), 'keyscope-no-git-'));

const sha = (digit: string) => digit.repeat(40);

/** Runs checkProvenanceOverrides; returns what it refused (the option and the problem), or null when it refused nothing. */
function refusal(overrides: ProvenanceOverrides): { option: string; problem: string } | null {
  try {
    checkProvenanceOverrides(overrides, (option, problem) => {
      throw Object.assign(new Error(problem), { option, problem });
    });
    return null;
  } catch (error) {
    const { option, problem } = error as { option: string; problem: string };
    return { option, problem };
  }
}

describe('ciProvenance', () => {
  it('takes a GitHub pull request\'s source branch, not its "N/merge" ref', () => {
    expect(ciProvenance({ GITHUB_ACTIONS: 'true', GITHUB_HEAD_REF: 'feat/x', GITHUB_REF_NAME: '12/merge', GITHUB_REF_TYPE: 'branch', GITHUB_SHA: sha('a') })).toEqual({ branch: 'feat/x', commit: sha('a') });
  });

  it('takes a GitHub push\'s ref name when the ref is a branch, and no branch when it is a tag', () => {
    expect(ciProvenance({ GITHUB_ACTIONS: 'true', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch', GITHUB_SHA: sha('b') })).toEqual({ branch: 'main', commit: sha('b') });
    expect(ciProvenance({ GITHUB_ACTIONS: 'true', GITHUB_REF_NAME: 'v1.0.0', GITHUB_REF_TYPE: 'tag', GITHUB_SHA: sha('c') })).toEqual({ commit: sha('c') });
  });

  it('ignores GitHub\'s variables unless GITHUB_ACTIONS is "true"', () => {
    expect(ciProvenance({ GITHUB_ACTIONS: '', GITHUB_HEAD_REF: 'feat/x', GITHUB_SHA: sha('a') })).toEqual({});
    expect(ciProvenance({ GITHUB_HEAD_REF: 'feat/x', GITHUB_SHA: sha('a') })).toEqual({});
  });

  it('takes a GitLab merge request\'s source branch before the commit branch', () => {
    expect(ciProvenance({ GITLAB_CI: 'true', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'mr-branch', CI_COMMIT_BRANCH: 'main', CI_COMMIT_SHA: sha('d') })).toEqual({ branch: 'mr-branch', commit: sha('d') });
    expect(ciProvenance({ GITLAB_CI: 'true', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: ' ', CI_COMMIT_BRANCH: 'main', CI_COMMIT_SHA: sha('d') })).toEqual({ branch: 'main', commit: sha('d') });
  });

  it('reads Buildkite and CircleCI', () => {
    expect(ciProvenance({ BUILDKITE: 'true', BUILDKITE_BRANCH: 'bk', BUILDKITE_COMMIT: sha('e') })).toEqual({ branch: 'bk', commit: sha('e') });
    expect(ciProvenance({ CIRCLECI: 'true', CIRCLE_BRANCH: 'cc', CIRCLE_SHA1: sha('f') })).toEqual({ branch: 'cc', commit: sha('f') });
  });

  it('reads Jenkins when JENKINS_URL is set, a change\'s branch before BRANCH_NAME', () => {
    expect(ciProvenance({ JENKINS_URL: 'https://ci.example', CHANGE_BRANCH: 'change', BRANCH_NAME: 'PR-7', GIT_COMMIT: sha('1') })).toEqual({ branch: 'change', commit: sha('1') });
    expect(ciProvenance({ JENKINS_URL: 'https://ci.example', BRANCH_NAME: 'main', GIT_COMMIT: sha('2') })).toEqual({ branch: 'main', commit: sha('2') });
    expect(ciProvenance({ JENKINS_URL: ' ', BRANCH_NAME: 'main', GIT_COMMIT: sha('2') })).toEqual({});
  });

  it('trims what it takes and leaves out what is blank', () => {
    expect(ciProvenance({ CIRCLECI: 'true', CIRCLE_BRANCH: '  main \n', CIRCLE_SHA1: '' })).toEqual({ branch: 'main' });
    expect(ciProvenance({ BUILDKITE: 'true', BUILDKITE_BRANCH: '\t', BUILDKITE_COMMIT: ` ${sha('3')} ` })).toEqual({ commit: sha('3') });
  });

  it('says nothing outside CI', () => {
    expect(ciProvenance({})).toEqual({});
  });
});

describe('gitState', () => {
  let repo: { dir: string; head: string };
  beforeAll(() => {
    repo = repository();
  });

  it('reads the checkout\'s commit and branch, clean', () => {
    expect(repo.head).toMatch(/^[0-9a-f]{40}$/);
    expect(gitState(repo.dir)).toEqual({ commit: repo.head, branch: 'topic', dirty: false });
  });

  it('is dirty with a changed tracked file, but not with only an untracked one', () => {
    const { dir, head } = repository();
    writeFileSync(join(dir, 'new.txt'), 'untracked\n');
    expect(gitState(dir)).toEqual({ commit: head, branch: 'topic', dirty: false });
    writeFileSync(join(dir, 'a.txt'), 'two\n');
    expect(gitState(dir)).toEqual({ commit: head, branch: 'topic', dirty: true });
  });

  it('has no branch on a detached HEAD', () => {
    const { dir, head } = repository();
    writeFileSync(join(dir, 'a.txt'), 'two\n');
    commitAll(dir, 'second');
    git(['checkout', '-q', '--detach', head], dir);
    expect(gitState(dir)).toEqual({ commit: head, branch: null, dirty: false });
  });

  it('is null outside a repository, and in a repository with no commit yet', () => {
    expect(gitState(notARepository())).toBeNull();
    const empty = notARepository();
    git(['init', '-q', '-b', 'topic'], empty);
    expect(gitState(empty)).toBeNull();
  });
});

describe('checkProvenanceOverrides', () => {
  it('accepts short and full commit ids in either case, a branch with slashes, and a testbed name', () => {
    expect(refusal({ commit: 'abcdef1', branch: 'feat/x-1.2_y', testbed: 'lab' })).toBeNull();
    expect(refusal({ commit: 'ABCDEF0123'.repeat(6) + 'abcd', branch: 'b'.repeat(255), testbed: 'L'.repeat(64) })).toBeNull();
    expect(refusal({})).toBeNull();
  });

  it.each(['abc123', 'a'.repeat(65), 'abcdefg', ' abcdef12', ''])('refuses the commit %j', (commit) => {
    expect(refusal({ commit })).toEqual({ option: 'commit', problem: `must be a commit id of 7 to 64 hex digits, got "${commit}"` });
  });

  it.each(['my branch', 'a\tb', 'a\nb', 'a\x00b', 'a\x7fb', 'main~1', 'a^b', 'a:b', 'a?b', 'a*b', 'a[b', 'a\\b', '', ' ', 'b'.repeat(256)])('refuses the branch %j', (branch) => {
    expect(refusal({ branch })).toEqual({
      option: 'branch',
      problem: `must be a git branch name (no spaces or control characters, at most 255 characters), got "${branch}"`,
    });
  });

  it.each(['-lab', '.lab', 'a b', 'lab/1', 'L'.repeat(65), ''])('refuses the testbed %j', (testbed) => {
    expect(refusal({ testbed })).toEqual({
      option: 'testbed',
      problem: `must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit, got "${testbed}"`,
    });
  });

  it('names the commit first when more than one is wrong, then the branch', () => {
    expect(refusal({ commit: 'nope', branch: 'a b', testbed: '-' })?.option).toBe('commit');
    expect(refusal({ branch: 'a b', testbed: '-' })?.option).toBe('branch');
  });
});

describe('resolveGit', () => {
  let repo: { dir: string; head: string };
  beforeAll(() => {
    repo = repository();
  });
  const pullRequest = { GITHUB_ACTIONS: 'true', GITHUB_HEAD_REF: 'pr-branch', GITHUB_REF_NAME: '5/merge', GITHUB_REF_TYPE: 'branch', GITHUB_SHA: sha('c') };

  it('takes the branch from the override, then the CI, then git', () => {
    expect(resolveGit(repo.dir, pullRequest, { branch: 'mine' })?.branch).toBe('mine');
    expect(resolveGit(repo.dir, pullRequest, {})?.branch).toBe('pr-branch');
    expect(resolveGit(repo.dir, {}, {})?.branch).toBe('topic');
  });

  it('takes the commit from the override, then git, then the CI, lower-cased', () => {
    expect(resolveGit(repo.dir, pullRequest, { commit: 'ABCDEF1' })).toEqual({ commit: 'abcdef1', branch: 'pr-branch', dirty: false });
    expect(resolveGit(repo.dir, pullRequest, {})).toEqual({ commit: repo.head, branch: 'pr-branch', dirty: false });
    expect(resolveGit(notARepository(), { ...pullRequest, GITHUB_SHA: 'C'.repeat(40) }, {})).toEqual({ commit: sha('c'), branch: 'pr-branch', dirty: false });
  });

  it('keeps the checkout\'s dirtiness for its own commit only', () => {
    const { dir, head } = repository();
    writeFileSync(join(dir, 'a.txt'), 'changed\n');
    expect(resolveGit(dir, {}, {})).toEqual({ commit: head, branch: 'topic', dirty: true });
    expect(resolveGit(dir, {}, { commit: head })).toEqual({ commit: head, branch: 'topic', dirty: true });
    expect(resolveGit(dir, {}, { commit: head.toUpperCase() })).toEqual({ commit: head, branch: 'topic', dirty: true });
    expect(resolveGit(dir, {}, { commit: head.slice(0, 7) })).toEqual({ commit: head.slice(0, 7), branch: 'topic', dirty: true });
    expect(resolveGit(dir, {}, { commit: sha('d') })).toEqual({ commit: sha('d'), branch: 'topic', dirty: false });
  });

  it('records a commit with no branch outside a repository, and nothing when nobody names a commit', () => {
    const dir = notARepository();
    expect(resolveGit(dir, {}, { commit: sha('e') })).toEqual({ commit: sha('e'), branch: null, dirty: false });
    expect(resolveGit(dir, {}, {})).toBeNull();
    expect(resolveGit(dir, { CIRCLECI: 'true', CIRCLE_BRANCH: 'main' }, {})).toBeNull();
  });

  it('pairs a --branch with the CI\'s commit outside a repository', () => {
    expect(resolveGit(notARepository(), { BUILDKITE: 'true', BUILDKITE_BRANCH: 'bk', BUILDKITE_COMMIT: sha('f') }, { branch: 'feat/x' })).toEqual({ commit: sha('f'), branch: 'feat/x', dirty: false });
  });

  it('refuses a --branch that no source gives a commit for, as a usage error', () => {
    let thrown: unknown;
    try {
      resolveGit(notARepository(), {}, { branch: 'feat/x' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect(thrown).toMatchObject({ code: 'KS_USAGE', message: 'a branch (feat/x) needs a commit: run in a git checkout or give the commit too' });
  });
});

describe('resolveTestbed', () => {
  it('takes the named testbed', () => {
    expect(resolveTestbed(environment, { testbed: 'lab' })).toBe('lab');
  });

  it('otherwise derives 8 hex digits from the environment, the same for the same machine', () => {
    const derived = resolveTestbed(environment, {});
    expect(derived).toMatch(/^[0-9a-f]{8}$/);
    expect(derived).toBe(derivedTestbed(environment));
    expect(resolveTestbed({ ...environment, kernel: '6.9.0' }, {})).toBe(derived);
    expect(resolveTestbed({ ...environment, cores: 4 }, {})).not.toBe(derived);
  });
});

describe('resolveGitBranch', () => {
  let repo: { dir: string; head: string };
  beforeAll(() => {
    repo = repository();
  });

  it('prefers the CI\'s branch to git\'s', () => {
    expect(resolveGitBranch(repo.dir, { GITLAB_CI: 'true', CI_COMMIT_BRANCH: 'main' })).toBe('main');
  });

  it('falls back to git\'s branch, and to null when neither names one', () => {
    expect(resolveGitBranch(repo.dir, {})).toBe('topic');
    expect(resolveGitBranch(notARepository(), {})).toBeNull();
    expect(resolveGitBranch(notARepository(), { GITHUB_ACTIONS: 'true', GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v1', GITHUB_SHA: sha('a') })).toBeNull();
  });
});
