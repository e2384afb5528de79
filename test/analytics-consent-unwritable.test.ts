/**
 * A data directory that cannot be written: analytics off with one warning, nothing thrown, commands go on.
 * Tests may run as root, for whom chmod does not stop writes, so the home is put below a regular file: every
 * mkdir and write under it fails (ENOTDIR) for everyone.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';

import { recordDecision } from '../src/analytics/consent/record-decision.js';
import { resolveConsent } from '../src/analytics/consent/resolve-consent.js';
import { analyticsPathsIn } from '../src/analytics/paths.js';
import { continueCliSession } from '../src/analytics/session.js';
import { analyticsEnable, analyticsStatusOf } from '../src/cli/analytics-command.js';
import { settleCliConsent } from '../src/cli/analytics-consent.js';
import { ErrorCodes, KeyscopeError } from '../src/errors.js';

function homeBelowAFile() {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-unwritable-'));
  writeFileSync(join(dir, 'not-a-directory'), 'x');
  return analyticsPathsIn(join(dir, 'not-a-directory', 'keyscope'));
}

function fakeTerminal(answers: string) {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = Object.assign(new PassThrough(), { isTTY: true });
  input.end(answers);
  return { input, output };
}

it('turns analytics off for the run with exactly one warning when the answer cannot be saved', async () => {
  const paths = homeBelowAFile();
  const terminal = fakeTerminal('y\ny\ny\ny\n');
  const settled = await settleCliConsent({ env: { KEYSCOPE_HOME: paths.home }, stdin: terminal.input, stderr: terminal.output, paths });
  expect(settled.consent.scopes.size).toBe(0);
  expect(settled.consent.installId).toBeNull();
  expect(settled.warnings).toHaveLength(1);
  expect(settled.warnings[0]).toMatch(/^keyscope: warning: analytics off: could not save your answer in .* \(ENOTDIR\)/);
});

it('reads as undecided and lets status report it', () => {
  const paths = homeBelowAFile();
  expect(resolveConsent({ env: {}, paths, surface: 'cli', interactive: false })).toMatchObject({ warning: null, consent: { source: 'non-interactive' } });
  const status = analyticsStatusOf({ KEYSCOPE_HOME: paths.home });
  expect(status).toMatchObject({ state: 'off', consentFile: { state: 'missing' }, ledger: { state: 'empty' }, spool: { files: 0, bytes: 0 } });
});

it('fails `analytics enable` with one KS_FILE_WRITE line', () => {
  const paths = homeBelowAFile();
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  let caught: unknown;
  try {
    analyticsEnable(['usage'], {}, { stdout: sink, stderr: sink, env: { KEYSCOPE_HOME: paths.home } });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeyscopeError);
  expect((caught as KeyscopeError).code).toBe(ErrorCodes.fileWrite);
  expect((caught as KeyscopeError).message).toMatch(/^cannot save the analytics decision in .*\(ENOTDIR\)$/);
});

it('still gives the CLI a session id', () => {
  const session = continueCliSession(homeBelowAFile(), Date.now());
  expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  expect(session.isNew).toBe(true);
});

it.skipIf(process.getuid?.() === 0)('turns a saved grant off with one warning when the home became read-only', () => {
  const paths = analyticsPathsIn(join(mkdtempSync(join(tmpdir(), 'keyscope-readonly-')), 'home'));
  recordDecision(paths, { scopes: ['usage'], source: 'command', now: Date.now() });
  chmodSync(paths.home, 0o500);
  try {
    const resolved = resolveConsent({ env: {}, paths, surface: 'cli', interactive: true });
    expect(resolved.consent.scopes.size).toBe(0);
    expect(resolved.warning).toMatch(/not writable/);
  } finally {
    chmodSync(paths.home, 0o700);
  }
});
