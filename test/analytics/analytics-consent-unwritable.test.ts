/**
 * A data directory that cannot be written: analytics off with one warning, nothing thrown, commands go on.
 * Tests may run as root, for whom chmod does not stop writes, so the home is put below a regular file: every
 * mkdir and write under it fails (ENOTDIR) for everyone.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

import { recordDecision } from '../../src/analytics/capture/consent/record-decision.js';
import { resolveConsent } from '../../src/analytics/capture/consent/resolve-consent.js';
import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { continueCliSession } from '../../src/analytics/capture/session.js';
import { analyticsEnable, analyticsStatusOf } from '../../src/cli/analytics-command.js';
import { settleCliConsent, showFirstRunNotice } from '../../src/cli/analytics-consent.js';
import { ErrorCodes, KeyscopeError } from '../../src/core/errors.js';
import { binPath } from '../support/cli.js';

function homeBelowAFile() {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-unwritable-'));
  writeFileSync(join(dir, 'not-a-directory'), 'x');
  return analyticsPathsIn(join(dir, 'not-a-directory', 'keyscope'));
}

it('turns analytics off and still shows the notice when nothing can be saved: it is shown again next time', () => {
  const paths = homeBelowAFile();
  const settled = settleCliConsent({ env: { KEYSCOPE_HOME: paths.home }, stderr: { isTTY: true }, paths });
  expect(settled).toMatchObject({ warnings: [], consent: { source: 'undecided', installId: null } });
  expect(settled.notice).toContain('analytics is off');
  let written = '';
  showFirstRunNotice({ write: (s: string) => ((written += s), true) } as unknown as NodeJS.WritableStream, settled.notice!, paths);
  expect(written).toBe(`\n${settled.notice}\n`);
  expect(settleCliConsent({ env: { KEYSCOPE_HOME: paths.home }, stderr: { isTTY: true }, paths }).notice).toBe(settled.notice);
});

it('reads as undecided and lets status report it', () => {
  const paths = homeBelowAFile();
  expect(resolveConsent({ env: {}, paths, surface: 'cli', interactive: false })).toMatchObject({ warning: null, consent: { source: 'undecided' } });
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

/**
 * Through the real CLI: a grant saved, then the home made read-only. Root writes through any mode, so as root
 * (CI runs as root) the CLI runs with every capability dropped (setpriv, util-linux): still uid 0, so it can
 * reach the clone wherever it is (even inside a 0700 folder, as `mktemp -d` makes), but bound by the mode
 * bits like any owner. Running it as another user instead failed whenever the clone sat in a private folder.
 */
it('keygen still works, with one warning, when the home of a saved grant became read-only', async () => {
  const paths = analyticsPathsIn(join(mkdtempSync(join(tmpdir(), 'keyscope-readonly-')), 'home'));
  recordDecision(paths, { scopes: ['usage', 'performance'], source: 'command', now: Date.now() });
  chmodSync(paths.home, 0o500);
  try {
    const result = await runKeygen(paths.home, { withoutPrivileges: process.getuid?.() === 0 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('BEGIN PUBLIC KEY');
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^keyscope: warning: analytics off: .* is not writable/)]);
    expect(readdirSync(paths.home).sort()).toEqual(['consent-ledger.jsonl', 'consent.json']);
  } finally {
    chmodSync(paths.home, 0o700);
  }
});

function runKeygen(home: string, { withoutPrivileges }: { withoutPrivileges: boolean }): Promise<{ status: number; stdout: string; stderr: string }> {
  const node = [process.execPath, binPath, 'keygen', 'ed25519'];
  // Dropping the bounding and inheritable sets leaves the exec'd node with no capability at all, uid 0 or not.
  const command = withoutPrivileges ? ['setpriv', '--inh-caps=-all', '--bounding-set=-all', '--', ...node] : node;
  return new Promise((resolve) => {
    execFile(
      command[0]!,
      command.slice(1),
      { env: { ...process.env, KEYSCOPE_HOME: home, HOME: tmpdir(), CI: '', DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '' } },
      (error, stdout, stderr) => resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
