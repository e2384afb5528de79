/**
 * Who holds a DuckDB file, from its lock error: the keyscope command (never its options' values) read from the
 * holder's command line, else the program's name, with its pid.
 */
import { spawn } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { describeLockHolder, keyscopeCommandOf } from '../../src/duckdb/lock-holder.js';

describe('keyscopeCommandOf', () => {
  it('names the command of an installed, npx or source CLI, without its options or their values', () => {
    expect(keyscopeCommandOf(['node', '/home/u/p/node_modules/.bin/keyscope', 'dashboard', '--port', '0', '--otlp', 'http://x'])).toBe('keyscope dashboard');
    expect(keyscopeCommandOf(['/usr/bin/node', '/usr/lib/node_modules/keyscope/bin/keyscope.js', 'analytics', 'export', '--out', 'secret.json'])).toBe(
      'keyscope analytics export',
    );
    expect(keyscopeCommandOf(['node', '--import', 'tsx', '/repo/test/support/bin/keyscope.ts', 'errors', 'list'])).toBe('keyscope errors list');
    expect(keyscopeCommandOf(['node', '/repo/dist/cli/main.js', 'bench', 'my-suite', '--quick'])).toBe('keyscope bench');
    expect(keyscopeCommandOf(['node', '/repo/bin/keyscope.js', '--db', '/tmp/x.duckdb', 'runs', 'list'])).toBe('keyscope');
    expect(keyscopeCommandOf(['keyscope dashboard'])).toBe('keyscope dashboard');
  });

  it('is null for any other program', () => {
    expect(keyscopeCommandOf(['node', 'server.js'])).toBeNull();
    expect(keyscopeCommandOf(['python3', '-c', 'import duckdb'])).toBeNull();
    expect(keyscopeCommandOf(['node', '/tmp/keyscope.duckdb'])).toBeNull();
  });
});

describe('describeLockHolder', () => {
  it("reads the holder's command line from DuckDB's message, and says less when it cannot", async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
    try {
      const message = `IO Error: Could not set lock on file "/x/analytics.duckdb": Conflicting lock is held in /usr/bin/node (PID ${child.pid}) by user u.`;
      expect(describeLockHolder(message)).toBe(`node (pid ${child.pid})`);
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(describeLockHolder(`Conflicting lock is held in /usr/bin/node (PID ${child.pid})`)).toBe(`pid ${child.pid}`);
    expect(describeLockHolder('Could not set lock on file "/x"')).toBe('another process');
  });
});
