/** The precedence of consent: environment, library opt-in, corrupt files, CI, the decision, interactivity. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';

import { readConsentFile } from '../src/analytics/consent/consent-file.js';
import { recordDecision } from '../src/analytics/consent/record-decision.js';
import { environmentOffReason, isCi, resolveConsent } from '../src/analytics/consent/resolve-consent.js';
import { analyticsPathsIn } from '../src/analytics/paths.js';
import type { AnalyticsPaths, Scope } from '../src/analytics/types.js';
import { settleCliConsent } from '../src/cli/analytics-consent.js';

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
    expect(resolved.needsPrompt).toBe(false);
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
  it('asks when undecided and interactive, and never when not interactive', () => {
    const paths = freshPaths();
    expect(cli(paths, {}, true)).toMatchObject({ needsPrompt: true, warning: null, consent: { source: 'undecided' } });
    expect(cli(paths, {}, false)).toMatchObject({ needsPrompt: false, warning: null, consent: { source: 'non-interactive' } });
  });

  it('follows a decision under the current notice, interactive or not', () => {
    const paths = decided(['usage', 'errors']);
    for (const interactive of [true, false]) {
      const resolved = cli(paths, {}, interactive);
      expect(resolved.needsPrompt).toBe(false);
      expect(resolved.consent.source).toBe('file');
      expect([...resolved.consent.scopes]).toEqual(['usage', 'errors']);
      expect(resolved.consent.noticeVersion).toBe(1);
      expect(resolved.consent.installId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('treats a decision of "none" as decided: off, and nobody asks again', () => {
    const resolved = cli(decided([]), {}, true);
    expect(resolved).toMatchObject({ needsPrompt: false, consent: { source: 'file', installId: null } });
    expect(resolved.consent.scopes.size).toBe(0);
  });

  it('in CI records nothing and never asks, whatever was decided', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: '' })).toBe(false);
    const paths = decided(['usage']);
    const resolved = cli(paths, { CI: 'true' }, true);
    expect(resolved).toMatchObject({ needsPrompt: false, consent: { source: 'ci' } });
    expect(resolved.consent.scopes.size).toBe(0);
    expect(cli(freshPaths(), { CI: '1' }, true).needsPrompt).toBe(false);
  });
});

describe('settleCliConsent without anyone to ask', () => {
  function tty(isTTY: boolean) {
    const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
    stream.isTTY = isTTY;
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    return { stream, written: () => written };
  }

  it.each([
    ['CI is set', { CI: 'true' }, true],
    ['stdin is not a terminal', {}, false],
  ])('does not prompt or write anything when %s', async (_label, env: NodeJS.ProcessEnv, isTTY) => {
    const paths = freshPaths();
    const stdin = tty(isTTY);
    const stderr = tty(true);
    const settled = await settleCliConsent({ env: { ...env, KEYSCOPE_HOME: paths.home }, stdin: stdin.stream, stderr: stderr.stream, paths });
    expect(settled.consent.scopes.size).toBe(0);
    expect(settled.warnings).toEqual([]);
    expect(stderr.written()).toBe('');
    expect(existsSync(paths.home)).toBe(false);
  });
});
