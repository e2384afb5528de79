/** The git state of the working tree a run was measured from, or null outside a repository. */
import { execFileSync } from 'node:child_process';

import type { GitState } from '../model/index.js';

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

export function gitState(cwd = process.cwd()): GitState | null {
  try {
    const commit = git(['rev-parse', 'HEAD'], cwd);
    const branch = git(['rev-parse', '--abbrev-ref', 'HEAD'], cwd);
    const dirty = git(['status', '--porcelain', '--untracked-files=no'], cwd).length > 0;
    return { commit, branch: branch === 'HEAD' ? null : branch, dirty };
  } catch {
    return null;
  }
}
