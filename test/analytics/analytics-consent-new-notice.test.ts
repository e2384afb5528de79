/** When the notice changes (its version goes up), a decision made under the old one no longer counts. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';

import { writeConsentFile } from '../../src/analytics/capture/consent/consent-file.js';
import { appendLedgerEntry, verifyLedger } from '../../src/analytics/capture/consent/ledger.js';
import type * as notice from '../../src/analytics/capture/consent/notice.js';
import { markNoticeShown } from '../../src/analytics/capture/consent/notice-shown.js';
import { resolveConsent } from '../../src/analytics/capture/consent/resolve-consent.js';
import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { analyticsEnable, analyticsStatusOf } from '../../src/cli/analytics-command.js';
import { settleCliConsent } from '../../src/cli/analytics-consent.js';

vi.mock('../../src/analytics/capture/consent/notice.js', async (importOriginal) => ({
  ...(await importOriginal<typeof notice>()),
  currentNoticeVersion: 2,
}));

function decidedUnderV1() {
  const paths = analyticsPathsIn(join(mkdtempSync(join(tmpdir(), 'keyscope-notice-')), 'home'));
  const time = '2025-01-01T00:00:00.000Z';
  appendLedgerEntry(paths, verifyLedger(paths), { time, scopes: ['usage', 'errors'], noticeVersion: 1, source: 'prompt' });
  writeConsentFile(paths, { format: 1, noticeVersion: 1, scopes: ['usage', 'errors'], installId: crypto.randomUUID(), decidedAt: time });
  return paths;
}

it('records nothing until enabled again, and at a terminal the notice says why', () => {
  const paths = decidedUnderV1();
  const interactive = resolveConsent({ env: {}, paths, surface: 'cli', interactive: true });
  expect(interactive).toMatchObject({ needsNotice: { acceptedNotice: 1 }, consent: { source: 'undecided' } });
  expect(interactive.consent.scopes.size).toBe(0);
  expect(interactive.consent.detail).toContain('v1 accepted, v2 now');
  const script = resolveConsent({ env: {}, paths, surface: 'cli', interactive: false });
  expect(script).toMatchObject({ needsNotice: null, consent: { source: 'undecided' } });
  expect(script.consent.scopes.size).toBe(0);

  const settled = settleCliConsent({ env: { KEYSCOPE_HOME: paths.home }, stderr: { isTTY: true }, paths });
  expect(settled.notice).toContain('what it records changed (notice v2; you allowed v1)');
  // Shown under v1 (an older version's notice) does not count as shown under v2.
  markNoticeShown(paths, 1, Date.now());
  expect(resolveConsent({ env: {}, paths, surface: 'cli', interactive: true }).needsNotice).toEqual({ acceptedNotice: 1 });
  markNoticeShown(paths, 2, Date.now());
  expect(resolveConsent({ env: {}, paths, surface: 'cli', interactive: true }).needsNotice).toBeNull();
});

it('on `analytics enable`, shows the new notice and keeps only what is allowed again', () => {
  const paths = decidedUnderV1();
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { KEYSCOPE_HOME: paths.home } };
  analyticsEnable(['performance'], {}, io as never);
  expect(stderr).toContain('notice v2');
  expect(stdout).toBe('analytics: enabled performance; now on: performance\n');
  const status = analyticsStatusOf(io.env);
  expect(status.notice).toEqual({ current: 2, accepted: 2 });
  expect(status.scopes).toEqual({ usage: false, performance: true, errors: false, security: false });
  expect(status.ledger).toEqual({ state: 'ok', entries: 2 });
});
