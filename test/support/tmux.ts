/**
 * A tmux server of the test's own (its own socket), for running commands in a real terminal: nothing else's
 * sessions are touched, and the server is killed when the test file ends.
 */
import { execFileSync } from 'node:child_process';

import { afterAll } from 'vitest';

export function privateTmux(socket: string): (...args: string[]) => string {
  const run = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  // A session that outlives the tests' own: without it the server exits with the last session a test kills,
  // and the next test's new-session can reach the server while it is still going away ("server exited
  // unexpectedly"), which a slow machine (or a sanitizer build) makes likely.
  let started = false;
  const tmux = (...args: string[]) => {
    if (!started) {
      run('new-session', '-d', '-s', 'keep-server', 'sleep 86400');
      started = true;
    }
    return run(...args);
  };
  afterAll(() => {
    try {
      run('kill-server');
    } catch {
      // Already gone: every session ended.
    }
  });
  return tmux;
}

/** One shell word, quoted for sh. */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
