/**
 * A tmux server of the test's own (its own socket), for running commands in a real terminal: nothing else's
 * sessions are touched, and the server is killed when the test file ends.
 */
import { execFileSync } from 'node:child_process';

import { afterAll } from 'vitest';

export function privateTmux(socket: string): (...args: string[]) => string {
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // Already gone: every session ended.
    }
  });
  return tmux;
}

/** One shell word, quoted for sh. */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
