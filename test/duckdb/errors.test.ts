/** Reading DuckDB's plain Errors: the first line, a lock held by another process, a refusal by the file system. */
import { describe, expect, it } from 'vitest';

import { duckdbReason, isLockHeld, isRefusedByFileSystem, lockHolder } from '../../src/duckdb/errors.js';

describe('DuckDB errors', () => {
  it('keeps the first line of the message only', () => {
    expect(duckdbReason(new Error('Binder Error: no function\nCandidate functions:\n  f(INTEGER)'))).toBe('Binder Error: no function');
    expect(duckdbReason('  plain text  ')).toBe('plain text');
  });

  it('knows a held lock in either of DuckDB wordings, and who holds it', () => {
    const held = new Error('IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in /usr/bin/node (PID 2147483646) by user u');
    expect(isLockHeld(held)).toBe(true);
    expect(isLockHeld(new Error('Conflicting lock is held in /usr/bin/node (PID 1)'))).toBe(true);
    expect(isLockHeld(new Error('IO Error: Could not read enough bytes'))).toBe(false);
    expect(lockHolder(held)).toBe('pid 2147483646');
    expect(lockHolder(new Error('IO Error: Could not set lock on file "/x.duckdb"'))).toBe('another process');
  });

  it('tells a refusal by the file system from a fault in the file', () => {
    expect(isRefusedByFileSystem(new Error('IO Error: Cannot open file "/x": Permission denied'))).toBe(true);
    expect(isRefusedByFileSystem(new Error('IO Error: Could not write file "/x": No space left on device'))).toBe(true);
    expect(isRefusedByFileSystem(new Error('IO Error: Cannot open file "/x": Read-only file system'))).toBe(true);
    expect(isRefusedByFileSystem(new Error('Serialization Error: Failed to deserialize'))).toBe(false);
  });
});
