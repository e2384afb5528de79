/** The one-time question: the notice, then yes/no per scope, default no; the answer is saved and not asked again. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';

import { readConsentFile } from '../src/analytics/consent/consent-file.js';
import { verifyLedger } from '../src/analytics/consent/ledger.js';
import { promptForConsent } from '../src/analytics/consent/prompt.js';
import { analyticsPathsIn } from '../src/analytics/paths.js';
import type { AnalyticsPaths } from '../src/analytics/types.js';
import { settleCliConsent } from '../src/cli/analytics-consent.js';

function fakeTerminal(answers: string, { end = true } = {}) {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = Object.assign(new PassThrough(), { isTTY: true });
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString()));
  input.write(answers);
  if (end) input.end();
  return { input, output, written: () => written };
}

function freshPaths(): AnalyticsPaths {
  return analyticsPathsIn(join(mkdtempSync(join(tmpdir(), 'keyscope-prompt-')), 'home'));
}

it('shows the versioned notice, asks per scope and grants only y/yes', async () => {
  const terminal = fakeTerminal('y\nn\nYES\n\n');
  const scopes = await promptForConsent({ input: terminal.input, output: terminal.output, noticeVersion: 1, home: '/somewhere/keyscope' });
  expect(scopes).toEqual(['usage', 'errors']);
  const shown = terminal.written();
  expect(shown).toContain('notice v1');
  expect(shown).toContain('/somewhere/keyscope');
  expect(shown).toContain('DO_NOT_TRACK');
  for (const scope of ['usage', 'performance', 'errors', 'security']) expect(shown).toContain(`Allow ${scope} (`);
});

it('treats anything but y/yes as no', async () => {
  const terminal = fakeTerminal('sure\nok\n1\nyess\n');
  expect(await promptForConsent({ input: terminal.input, output: terminal.output, home: '/h' })).toEqual([]);
});

it('answers no to every question left at the end of input', async () => {
  const terminal = fakeTerminal('n\ny\n');
  const scopes = await promptForConsent({ input: terminal.input, output: terminal.output, home: '/h' });
  expect(scopes).toEqual(['performance']);
  expect(terminal.written()).toContain('Allow errors (');
});

it('waits for answers typed after each question', async () => {
  const terminal = fakeTerminal('', { end: false });
  const pending = promptForConsent({ input: terminal.input, output: terminal.output, home: '/h' });
  for (const answer of ['y', 'y', 'n', 'y']) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    terminal.input.write(`${answer}\n`);
  }
  expect(await pending).toEqual(['usage', 'performance', 'security']);
});

it('saves the answer (consent file and ledger, source prompt) and does not ask again', async () => {
  const paths = freshPaths();
  const env = { KEYSCOPE_HOME: paths.home };
  const first = fakeTerminal('y\nn\ny\nn\n');
  const settled = await settleCliConsent({ env, stdin: first.input, stderr: first.output, paths });
  expect(settled.warnings).toEqual([]);
  expect(settled.consent.source).toBe('file');
  expect([...settled.consent.scopes]).toEqual(['usage', 'errors']);
  expect(settled.consent.installId).toMatch(/^[0-9a-f-]{36}$/);
  expect(first.written()).toContain('analytics: allowed usage, errors');

  const file = readConsentFile(paths);
  expect(file).toMatchObject({ state: 'ok', decision: { scopes: ['usage', 'errors'], noticeVersion: 1, installId: settled.consent.installId } });
  expect(verifyLedger(paths, file)).toMatchObject({ state: 'ok', entries: [{ source: 'prompt', scopes: ['usage', 'errors'] }] });

  const second = fakeTerminal('y\ny\ny\ny\n');
  const again = await settleCliConsent({ env, stdin: second.input, stderr: second.output, paths });
  expect(second.written()).toBe('');
  expect([...again.consent.scopes]).toEqual(['usage', 'errors']);
});

it('records a decision of none, so the person is not asked again', async () => {
  const paths = freshPaths();
  const env = { KEYSCOPE_HOME: paths.home };
  const first = fakeTerminal('');
  const settled = await settleCliConsent({ env, stdin: first.input, stderr: first.output, paths });
  expect(settled.consent.scopes.size).toBe(0);
  expect(settled.consent.installId).toBeNull();
  expect(readConsentFile(paths)).toMatchObject({ state: 'ok', decision: { scopes: [], installId: null } });
  expect(verifyLedger(paths).state).toBe('ok');

  const second = fakeTerminal('y\ny\ny\ny\n');
  await settleCliConsent({ env, stdin: second.input, stderr: second.output, paths });
  expect(second.written()).toBe('');
});

it('never prompts when only one of stdin and stderr is a terminal', async () => {
  const paths = freshPaths();
  const terminal = fakeTerminal('y\ny\ny\ny\n');
  terminal.output.isTTY = false;
  const settled = await settleCliConsent({ env: { KEYSCOPE_HOME: paths.home }, stdin: terminal.input, stderr: terminal.output, paths });
  expect(settled.consent.source).toBe('non-interactive');
  expect(terminal.written()).toBe('');
  expect(existsSync(paths.home)).toBe(false);
});
