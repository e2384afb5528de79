/** `keyscope analytics status|enable|disable|rotate-id`, through the command functions main.ts calls. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

import { readConsentFile } from '../../src/analytics/capture/consent/consent-file.js';
import { verifyLedger } from '../../src/analytics/capture/consent/ledger.js';
import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import {
  analyticsDisable,
  analyticsEnable,
  analyticsRotateId,
  analyticsStatus,
  type AnalyticsCommandIO,
  type AnalyticsStatus,
} from '../../src/cli/analytics-command.js';
import { ErrorCodes, KeyscopeError } from '../../src/core/errors.js';

function fakeIo(extraEnv: NodeJS.ProcessEnv = {}) {
  const home = join(mkdtempSync(join(tmpdir(), 'keyscope-cli-consent-')), 'home');
  let stdout = '';
  let stderr = '';
  const io: AnalyticsCommandIO = {
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
    env: { KEYSCOPE_HOME: home, ...extraEnv },
  };
  const take = () => {
    const taken = { stdout, stderr };
    stdout = '';
    stderr = '';
    return taken;
  };
  return { io, home, paths: analyticsPathsIn(home), take };
}

function statusJson(io: AnalyticsCommandIO, take: () => { stdout: string }): AnalyticsStatus {
  expect(analyticsStatus([], { json: true }, io)).toBe(0);
  return JSON.parse(take().stdout) as AnalyticsStatus;
}

it('reports a fresh home as undecided, off, without creating anything', () => {
  const { io, home, take } = fakeIo();
  expect(statusJson(io, take)).toEqual({
    state: 'off',
    source: 'undecided',
    detail: expect.stringContaining('not decided yet'),
    scopes: { usage: false, performance: false, errors: false, security: false },
    notice: { current: 1, accepted: null },
    installId: null,
    dataDirectory: home,
    consentFile: { state: 'missing' },
    ledger: { state: 'empty', entries: 0 },
    retention: { days: 180, from: 'default' },
    spool: { files: 0, bytes: 0 },
  });
  expect(existsSync(home)).toBe(false);
});

it('enables the scopes named, prints one line, and status shows them with a verified ledger', () => {
  const { io, take } = fakeIo();
  expect(analyticsEnable(['errors', 'usage'], {}, io)).toBe(0);
  const { stdout, stderr } = take();
  expect(stdout).toBe('analytics: enabled usage, errors; now on: usage, errors\n');
  expect(stderr).toContain('notice v1'); // first grant: the notice is shown
  const status = statusJson(io, take);
  expect(status).toMatchObject({ state: 'on', source: 'file', notice: { current: 1, accepted: 1 }, ledger: { state: 'ok', entries: 1 } });
  expect(status.scopes).toEqual({ usage: true, performance: false, errors: true, security: false });
  expect(status.installId).toMatch(/^[0-9a-f-]{36}$/);

  expect(analyticsStatus([], {}, io)).toBe(0);
  const text = take().stdout;
  expect(text).toMatch(/^analytics: on \(file\)\n/);
  expect(text).toMatch(/\n {2}usage {7}on\n {2}performance off\n {2}errors {6}on\n {2}security {4}off\n/);
  expect(text).toContain('ledger:       1 entry, chain verified');
  expect(text).toContain(`install id:   ${status.installId}`);
});

it('enables everything with no scopes, then says when nothing changed', () => {
  const { io, take } = fakeIo();
  analyticsEnable([], {}, io);
  expect(take().stdout).toBe('analytics: enabled usage, performance, errors, security; now on: usage, performance, errors, security\n');
  analyticsEnable(['usage'], {}, io);
  const second = take();
  expect(second.stdout).toBe('analytics: no change: usage already on\n');
  expect(second.stderr).toBe(''); // the notice was accepted already
  expect(statusJson(io, take).ledger).toEqual({ state: 'ok', entries: 1 });
});

it('disables the scopes named, or all, keeping the install id', () => {
  const { io, paths, take } = fakeIo();
  analyticsEnable([], {}, io);
  take();
  const id = statusJson(io, take).installId;
  expect(analyticsDisable(['performance', 'security'], {}, io)).toBe(0);
  expect(take().stdout).toBe('analytics: disabled performance, security; now on: usage, errors\n');
  expect(analyticsDisable([], {}, io)).toBe(0);
  expect(take().stdout).toBe('analytics: disabled usage, errors; nothing is recorded\n');
  const status = statusJson(io, take);
  expect(status).toMatchObject({ state: 'off', source: 'file', installId: id, ledger: { state: 'ok', entries: 3 } });
  expect(verifyLedger(paths).state).toBe('ok');
});

it('refuses an unknown scope with KS_ANALYTICS_SCOPE and writes nothing', () => {
  const { io, home } = fakeIo();
  for (const run of [analyticsEnable, analyticsDisable]) {
    let caught: unknown;
    try {
      run(['usage', 'telemetry'], {}, io);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KeyscopeError);
    expect((caught as KeyscopeError).code).toBe(ErrorCodes.analyticsUnknownScope);
    expect((caught as KeyscopeError).message).toBe('unknown analytics scope "telemetry": use usage, performance, errors, security (or none for all)');
  }
  expect(existsSync(home)).toBe(false);
});

it('records the decision under DO_NOT_TRACK but says in one line that the environment wins', () => {
  const { io, paths, take } = fakeIo({ DO_NOT_TRACK: '1' });
  analyticsEnable(['usage'], {}, io);
  const { stdout, stderr } = take();
  expect(stdout).toBe('analytics: enabled usage; now on: usage\n');
  expect(stderr.trimEnd().split('\n').at(-1)).toBe('keyscope: note: saved, but analytics is off: DO_NOT_TRACK is set (it always wins)');
  expect(readConsentFile(paths)).toMatchObject({ state: 'ok', decision: { scopes: ['usage'] } });
  expect(statusJson(io, take)).toMatchObject({ state: 'off', source: 'environment-off', scopes: { usage: false } });
});

it('rotates the install id: a new random id in consent.json and a ledger entry without either id', () => {
  const { io, paths, take } = fakeIo();
  expect(analyticsRotateId([], {}, io)).toBe(0);
  expect(take().stdout).toBe('analytics: no install id yet (one is created when a scope is first allowed); nothing changed\n');
  expect(existsSync(paths.home)).toBe(false);

  analyticsEnable(['usage'], {}, io);
  take();
  const before = statusJson(io, take).installId!;
  expect(analyticsRotateId([], {}, io)).toBe(0);
  expect(take().stdout).toMatch(new RegExp(`^analytics: install id rotated: ${before} -> [0-9a-f-]{36}\n$`));
  const after = statusJson(io, take);
  expect(after.installId).toMatch(/^[0-9a-f-]{36}$/);
  expect(after.installId).not.toBe(before);
  expect(after.ledger).toEqual({ state: 'ok', entries: 2 });
  const ledgerText = readFileSync(paths.ledgerFile, 'utf8');
  expect(ledgerText).toContain('"installIdRotated":true');
  expect(ledgerText).not.toContain(before);
  expect(ledgerText).not.toContain(after.installId);
});

it('shows pending spool files, retention and a broken ledger', () => {
  const { io, paths, take } = fakeIo({ KEYSCOPE_ANALYTICS_RETENTION_DAYS: '30' });
  analyticsEnable(['usage'], {}, io);
  analyticsEnable(['errors'], {}, io);
  take();
  mkdirSync(paths.spoolDir, { recursive: true });
  writeFileSync(join(paths.spoolDir, 'events-1-2-ab.jsonl'), 'x'.repeat(100));
  writeFileSync(join(paths.spoolDir, 'perf-1-2-0.bin'), 'y'.repeat(156));
  const lines = readFileSync(paths.ledgerFile, 'utf8').trimEnd().split('\n');
  writeFileSync(paths.ledgerFile, `${lines[1]}\n${lines[0]}\n`);

  const status = statusJson(io, take);
  expect(status.spool).toEqual({ files: 2, bytes: 256 });
  expect(status.retention).toEqual({ days: 30, from: 'KEYSCOPE_ANALYTICS_RETENTION_DAYS' });
  expect(status).toMatchObject({ state: 'off', source: 'corrupt', ledger: { state: 'broken', atLine: 1 } });
  analyticsStatus([], {}, io);
  const text = take().stdout;
  expect(text).toContain('ledger:       BROKEN at line 1: sequence number 2 where 1 was expected');
  expect(text).toContain('spool:        2 pending files, 256 bytes');
  expect(text).toContain('retention:    30 days (KEYSCOPE_ANALYTICS_RETENTION_DAYS)');
});
