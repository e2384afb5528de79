/** A corrupt consent file: analytics off, one warning, the file untouched until someone decides again. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { readConsentFile } from '../../src/analytics/capture/consent/consent-file.js';
import { verifyLedger } from '../../src/analytics/capture/consent/ledger.js';
import { recordDecision } from '../../src/analytics/capture/consent/record-decision.js';
import { resolveConsent } from '../../src/analytics/capture/consent/resolve-consent.js';
import { type AnalyticsPaths, analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { analyticsDisable, analyticsStatus } from '../../src/cli/analytics-command.js';
import { settleCliConsent } from '../../src/cli/analytics-consent.js';

function homeWithConsentFile(content: string): AnalyticsPaths {
  const paths = analyticsPathsIn(join(mkdtempSync(join(tmpdir(), 'keyscope-corrupt-')), 'home'));
  mkdirSync(paths.home);
  writeFileSync(paths.consentFile, content);
  return paths;
}

function capture() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

const corruptions = [
  ['not JSON', '{"format": 1, "scopes": ["usage"'],
  ['an unknown property', JSON.stringify({ format: 1, noticeVersion: 1, scopes: ['usage'], installId: null, decidedAt: '2025-01-01T00:00:00Z', hostname: 'x' })],
  ['an unknown scope', JSON.stringify({ format: 1, noticeVersion: 1, scopes: ['everything'], installId: null, decidedAt: '2025-01-01T00:00:00Z' })],
  ['a newer format', JSON.stringify({ format: 2, noticeVersion: 1, scopes: [], installId: null, decidedAt: '2025-01-01T00:00:00Z' })],
] as const;

describe.each(corruptions)('a consent file with %s', (_label, content) => {
  it('means off with one warning, no notice, and leaves the file byte-identical', () => {
    const paths = homeWithConsentFile(content);
    expect(readConsentFile(paths).state).toBe('corrupt');
    const resolved = resolveConsent({ env: {}, paths, surface: 'cli', interactive: true });
    expect(resolved.consent.source).toBe('corrupt');
    expect(resolved.consent.scopes.size).toBe(0);
    expect(resolved.needsNotice).toBeNull();

    const settled = settleCliConsent({ env: { KEYSCOPE_HOME: paths.home }, stderr: { isTTY: true }, paths });
    expect(settled.consent.source).toBe('corrupt');
    expect(settled.notice).toBeNull();
    expect(settled.warnings).toHaveLength(1);
    expect(settled.warnings[0]).toMatch(/^keyscope: warning: analytics off: .*consent\.json .*kept for inspection/);

    const out = capture();
    analyticsStatus([], {}, { stdout: out.stream, stderr: capture().stream, env: { KEYSCOPE_HOME: paths.home } });
    expect(out.text()).toContain('analytics: off (corrupt)');
    expect(out.text()).toContain('CORRUPT');

    expect(readFileSync(paths.consentFile, 'utf8')).toBe(content);
    expect(readdirSync(paths.home)).toEqual(['consent.json']);
  });
});

it('is moved aside, kept byte-identical, when the person decides again', () => {
  const content = corruptions[0][1];
  const paths = homeWithConsentFile(content);
  const out = capture();
  const err = capture();
  expect(analyticsDisable([], {}, { stdout: out.stream, stderr: err.stream, env: { KEYSCOPE_HOME: paths.home } })).toBe(0);
  const kept = readdirSync(paths.home).filter((name) => name.startsWith('consent.json.corrupt-'));
  expect(kept).toHaveLength(1);
  expect(readFileSync(join(paths.home, kept[0]!), 'utf8')).toBe(content);
  expect(err.text()).toMatch(/^keyscope: note: the corrupt consent file \(is not valid JSON\) was kept as .*consent\.json\.corrupt-.*\n$/);
  expect(readConsentFile(paths)).toMatchObject({ state: 'ok', decision: { scopes: [] } });
  expect(verifyLedger(paths, readConsentFile(paths)).state).toBe('ok');
});

it('is written atomically with mode 0600 in a 0700 directory', () => {
  const paths = analyticsPathsIn(join(mkdtempSync(join(tmpdir(), 'keyscope-mode-')), 'home'));
  recordDecision(paths, { scopes: ['usage'], source: 'command', now: Date.now() });
  expect(statSync(paths.consentFile).mode & 0o777).toBe(0o600);
  expect(statSync(paths.ledgerFile).mode & 0o777).toBe(0o600);
  expect(statSync(paths.home).mode & 0o777).toBe(0o700);
  // No temp file left behind.
  expect(readdirSync(paths.home).sort()).toEqual(['consent-ledger.jsonl', 'consent.json']);
});
