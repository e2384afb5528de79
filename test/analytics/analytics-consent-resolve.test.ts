/** The precedence of consent: environment, library opt-in, corrupt files, CI, the decision; and when the notice is due. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { readConsentFile } from '../../src/analytics/capture/consent/consent-file.js';
import { markNoticeShown } from '../../src/analytics/capture/consent/notice-shown.js';
import { recordDecision } from '../../src/analytics/capture/consent/record-decision.js';
import { environmentOffReason, isCi, resolveConsent } from '../../src/analytics/capture/consent/resolve-consent.js';
import { type AnalyticsPaths, analyticsPathsIn } from '../../src/analytics/events/paths.js';
import type { Scope } from '../../src/analytics/events/types.js';
import { settleCliConsent } from '../../src/cli/analytics-consent.js';

function freshPaths(): AnalyticsPaths {
  return analyticsPathsIn(join(mkdtempSync(join(tmpdir(), 'keyscope-resolve-')), 'home'));
}

function decided(scopes: Scope[]): AnalyticsPaths {
  const paths = freshPaths();
  recordDecision(paths, { scopes, source: 'command', now: Date.parse('2025-03-01T10:00:00Z') });
  return paths;
}

const cli = (paths: AnalyticsPaths, env: NodeJS.ProcessEnv, interactive = true) =>
  resolveConsent({ env: { KEYSCOPE_HOME: paths.home, ...env }, paths, surface: 'cli', interactive });

describe('the environment always wins', () => {
  it.each([
    [{ DO_NOT_TRACK: '1' }],
    [{ DO_NOT_TRACK: 'true' }],
    [{ DO_NOT_TRACK: 'yes' }],
    [{ KEYSCOPE_ANALYTICS: 'off' }],
    [{ KEYSCOPE_ANALYTICS: 'OFF' }],
  ])('%o beats a decision that allows everything, and the library opt-in', (env) => {
    const paths = decided(['usage', 'performance', 'errors', 'security']);
    const resolved = cli(paths, env);
    expect(resolved.consent.source).toBe('environment-off');
    expect(resolved.consent.scopes.size).toBe(0);
    expect(resolved.consent.installId).toBeNull();
    expect(resolved.needsNotice).toBeNull();
    const library = resolveConsent({ env, paths, surface: 'library', interactive: false, libraryScopes: ['usage'] });
    expect(library.consent.source).toBe('environment-off');
    expect(library.consent.scopes.size).toBe(0);
  });

  it('does not count DO_NOT_TRACK=0/false or an empty value as a request', () => {
    for (const value of ['0', 'false', '']) expect(environmentOffReason({ DO_NOT_TRACK: value })).toBeNull();
    expect(environmentOffReason({ KEYSCOPE_ANALYTICS: 'on' })).toBeNull();
    expect(cli(decided(['usage']), { DO_NOT_TRACK: '0' }).consent.source).toBe('file');
  });
});

describe('the library', () => {
  it('records nothing unless the host opts in, and then exactly the scopes given in code, even in CI', () => {
    const paths = freshPaths();
    const none = resolveConsent({ env: {}, paths, surface: 'library', interactive: false });
    expect(none.consent).toMatchObject({ source: 'undecided', installId: null });
    expect(none.consent.scopes.size).toBe(0);

    const optedIn = resolveConsent({ env: { CI: 'true' }, paths, surface: 'library', interactive: false, libraryScopes: ['errors', 'usage'] });
    expect(optedIn.consent.source).toBe('library');
    expect([...optedIn.consent.scopes]).toEqual(['usage', 'errors']);
    expect(optedIn.consent.installId).toMatch(/^[0-9a-f-]{36}$/);
    // The library opt-in is in-process: it writes no CLI decision.
    expect(existsSync(paths.home)).toBe(false);
  });

  it('uses the install id of the CLI decision when there is one', () => {
    const paths = decided(['usage']);
    const file = readConsentFile(paths);
    if (file.state !== 'ok') throw new Error('expected a decision');
    const resolved = resolveConsent({ env: {}, paths, surface: 'library', interactive: false, libraryScopes: ['performance'] });
    expect(resolved.consent.installId).toBe(file.decision.installId);
    expect([...resolved.consent.scopes]).toEqual(['performance']);
  });
});

describe('the CLI', () => {
  it('is off when undecided; the notice is due at a terminal until it was shown, never elsewhere', () => {
    const paths = freshPaths();
    expect(cli(paths, {}, true)).toMatchObject({ needsNotice: { acceptedNotice: null }, warning: null, consent: { source: 'undecided' } });
    expect(cli(paths, {}, true).consent.scopes.size).toBe(0);
    expect(cli(paths, {}, false)).toMatchObject({ needsNotice: null, warning: null, consent: { source: 'undecided' } });
    markNoticeShown(paths, 1, Date.now());
    expect(cli(paths, {}, true)).toMatchObject({ needsNotice: null, consent: { source: 'undecided' } });
  });

  it('follows a decision under the current notice, interactive or not', () => {
    const paths = decided(['usage', 'errors']);
    for (const interactive of [true, false]) {
      const resolved = cli(paths, {}, interactive);
      expect(resolved.needsNotice).toBeNull();
      expect(resolved.consent.source).toBe('file');
      expect([...resolved.consent.scopes]).toEqual(['usage', 'errors']);
      expect(resolved.consent.noticeVersion).toBe(1);
      expect(resolved.consent.installId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('treats a decision of "none" as decided: off, and no notice', () => {
    const resolved = cli(decided([]), {}, true);
    expect(resolved).toMatchObject({ needsNotice: null, consent: { source: 'file', installId: null } });
    expect(resolved.consent.scopes.size).toBe(0);
  });

  it('in CI records nothing and shows no notice, whatever was decided', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: '' })).toBe(false);
    const paths = decided(['usage']);
    const resolved = cli(paths, { CI: 'true' }, true);
    expect(resolved).toMatchObject({ needsNotice: null, consent: { source: 'ci' } });
    expect(resolved.consent.scopes.size).toBe(0);
    expect(cli(freshPaths(), { CI: '1' }, true).needsNotice).toBeNull();
  });
});

describe('settleCliConsent', () => {
  it.each([
    ['CI is set', { CI: 'true' }, true],
    ['stderr is not a terminal', {}, false],
  ])('has no notice and writes nothing when %s', (_label, env: NodeJS.ProcessEnv, isTTY) => {
    const paths = freshPaths();
    const settled = settleCliConsent({ env: { ...env, KEYSCOPE_HOME: paths.home }, stderr: { isTTY }, paths });
    expect(settled).toMatchObject({ warnings: [], notice: null, consent: { source: expect.stringMatching(/^(ci|undecided)$/) } });
    expect(settled.consent.scopes.size).toBe(0);
    expect(existsSync(paths.home)).toBe(false);
  });
});
