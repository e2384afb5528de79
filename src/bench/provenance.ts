/**
 * Where a run was measured from: its commit, its branch, whether the tree had uncommitted changes, and its
 * testbed. A run's history is its branch's runs on its testbed, so these are recorded with every run.
 *
 * Precedence, field by field: what the person said (`bench --commit/--branch`), then what git says, then the
 * CI's variables. The branch is the exception: a CI checkout of a pull request is a detached merge commit with
 * no branch, and the CI's variables name the branch the person means, so there they come before git.
 */
import { execFileSync } from 'node:child_process';

import { ErrorCodes, InvalidArgumentError } from '../core/index.js';
import { derivedTestbed, type EnvironmentFingerprint, type GitState, testbedPattern } from '../model/index.js';

export interface ProvenanceOverrides {
  branch?: string | undefined;
  commit?: string | undefined;
  /** A testbed name; default: derived from the run's environment (model/testbed.ts). */
  testbed?: string | undefined;
}

/** What the common CI services say about the branch and commit being built; each field absent where unset. */
interface CiProvenance {
  branch?: string;
  commit?: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function ciProvenance(env: Environment): CiProvenance {
  const pick = (branch: string | undefined, commit: string | undefined): CiProvenance => {
    const found: CiProvenance = {};
    if (nonEmpty(branch)) found.branch = nonEmpty(branch)!;
    if (nonEmpty(commit)) found.commit = nonEmpty(commit)!;
    return found;
  };
  // GitHub: a pull request's GITHUB_REF_NAME is "123/merge"; its source branch is GITHUB_HEAD_REF.
  if (env.GITHUB_ACTIONS === 'true') return pick(nonEmpty(env.GITHUB_HEAD_REF) ?? (env.GITHUB_REF_TYPE === 'branch' ? env.GITHUB_REF_NAME : undefined), env.GITHUB_SHA);
  if (env.GITLAB_CI === 'true') return pick(nonEmpty(env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME) ?? env.CI_COMMIT_BRANCH, env.CI_COMMIT_SHA);
  if (env.BUILDKITE === 'true') return pick(env.BUILDKITE_BRANCH, env.BUILDKITE_COMMIT);
  if (env.CIRCLECI === 'true') return pick(env.CIRCLE_BRANCH, env.CIRCLE_SHA1);
  if (nonEmpty(env.JENKINS_URL)) return pick(nonEmpty(env.CHANGE_BRANCH) ?? env.BRANCH_NAME, env.GIT_COMMIT);
  return {};
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/** The git state of the working tree at `cwd`, or null outside a repository (or without git). */
export function gitState(cwd: string): GitState | null {
  try {
    const commit = git(['rev-parse', 'HEAD'], cwd);
    const branch = git(['rev-parse', '--abbrev-ref', 'HEAD'], cwd);
    const dirty = git(['status', '--porcelain', '--untracked-files=no'], cwd).length > 0;
    return { commit, branch: branch === 'HEAD' ? null : branch, dirty };
  } catch {
    return null;
  }
}

const commitPattern = /^[0-9a-f]{7,64}$/i;

/** Refuses what cannot be a commit, a branch or a testbed name, saying which option was wrong. */
export function checkProvenanceOverrides(overrides: ProvenanceOverrides, fail: (option: string, problem: string) => never): void {
  const { branch, commit, testbed } = overrides;
  if (commit !== undefined && !commitPattern.test(commit)) fail('commit', `must be a commit id of 7 to 64 hex digits, got "${commit}"`);
  // git's own rules for branch names are long; these keep out what no branch has and what would break a line.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this keeps out
  if (branch !== undefined && (branch.trim() === '' || branch.length > 255 || /[\x00-\x20\x7f~^:?*[\\]/.test(branch))) {
    fail('branch', `must be a git branch name (no spaces or control characters, at most 255 characters), got "${branch}"`);
  }
  if (testbed !== undefined && !testbedPattern.test(testbed)) {
    fail('testbed', `must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit, got "${testbed}"`);
  }
}

export function resolveGit(cwd: string, env: Environment, overrides: ProvenanceOverrides): GitState | null {
  const fromGit = gitState(cwd);
  const fromCi = ciProvenance(env);
  const commit = overrides.commit ?? fromGit?.commit ?? fromCi.commit;
  const branch = overrides.branch ?? fromCi.branch ?? fromGit?.branch ?? null;
  if (commit === undefined) {
    if (overrides.branch !== undefined) {
      throw new InvalidArgumentError(ErrorCodes.usage, `a branch (${overrides.branch}) needs a commit: run in a git checkout or give the commit too`);
    }
    return null;
  }
  // Uncommitted changes belong to the checkout's own commit; a commit named otherwise is taken as it is.
  const normalized = commit.toLowerCase();
  // The checkout's changes belong to the run only when the commit recorded is the checkout's (a short id too).
  const dirty = fromGit !== null && fromGit.commit.toLowerCase().startsWith(normalized) ? fromGit.dirty : false;
  return { commit: normalized, branch, dirty };
}

export function resolveTestbed(environment: EnvironmentFingerprint, overrides: ProvenanceOverrides): string {
  return overrides.testbed ?? derivedTestbed(environment);
}

/** The branch a run made here now would record (no overrides): the CI's, else git's; null when neither says. */
export function resolveGitBranch(cwd: string, env: Environment): string | null {
  return ciProvenance(env).branch ?? gitState(cwd)?.branch ?? null;
}
