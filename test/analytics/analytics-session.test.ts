/** CLI sessions: commands less than 30 minutes apart share one; the library's session is the process. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { continueCliSession, librarySession, sessionIdleMs } from '../../src/analytics/capture/session.js';

const t0 = Date.parse('2025-05-01T12:00:00Z');
const freshPaths = () => analyticsPathsIn(join(mkdtempSync(join(tmpdir(), 'keyscope-session-')), 'home'));

it('continues the session while commands are less than 30 minutes apart', () => {
  const paths = freshPaths();
  const first = continueCliSession(paths, t0);
  expect(first).toMatchObject({ isNew: true, startedAt: t0 });
  const second = continueCliSession(paths, t0 + 20 * 60_000);
  expect(second).toEqual({ sessionId: first.sessionId, isNew: false, startedAt: t0 });
  // Measured from the last command, not the first.
  const third = continueCliSession(paths, t0 + 45 * 60_000);
  expect(third).toEqual({ sessionId: first.sessionId, isNew: false, startedAt: t0 });
  expect(JSON.parse(readFileSync(paths.sessionFile, 'utf8'))).toEqual({
    id: first.sessionId,
    startedAt: new Date(t0).toISOString(),
    lastActivityAt: new Date(t0 + 45 * 60_000).toISOString(),
  });
});

it('starts a new session after 30 idle minutes', () => {
  const paths = freshPaths();
  const first = continueCliSession(paths, t0);
  const later = continueCliSession(paths, t0 + sessionIdleMs);
  expect(later.isNew).toBe(true);
  expect(later.sessionId).not.toBe(first.sessionId);
  expect(later.startedAt).toBe(t0 + sessionIdleMs);
});

it('starts over from a corrupt session file or a clock that went back', () => {
  const paths = freshPaths();
  mkdirSync(paths.home);
  writeFileSync(paths.sessionFile, '{"id": 12');
  const fromCorrupt = continueCliSession(paths, t0);
  expect(fromCorrupt.isNew).toBe(true);
  const backwards = continueCliSession(paths, t0 - 60_000);
  expect(backwards.isNew).toBe(true);
  expect(backwards.sessionId).not.toBe(fromCorrupt.sessionId);
});

it('gives the library one session per process', () => {
  const first = librarySession();
  const second = librarySession();
  expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  expect(second.sessionId).toBe(first.sessionId);
  expect(second.isNew).toBe(false);
});
