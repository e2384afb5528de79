/**
 * The library records nothing until the host application opts in, in code, with the scopes it names; it can
 * read and change that consent at run time; DO_NOT_TRACK still wins; each change is in the consent ledger.
 * Each case runs a host application in a child process (the native spool is per process).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { countByType, spooled } from '../support/analytics-fixtures.js';


const execFileAsync = promisify(execFile);
const entry = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

function freshHome(): string {
  return join(mkdtempSync(join(tmpdir(), 'keyscope-library-')), 'home');
}

/** Runs `body` as an ES module with `k` bound to keyscope; returns what it printed with console.log. */
async function host(home: string, body: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const script = `const k = await import(${JSON.stringify(entry)});\n${body}`;
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, KEYSCOPE_HOME: home, CI: 'true', DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '', KEYSCOPE_ANALYTICS_DEBUG: '', ...env },
  });
  return stdout;
}

it('records nothing when the host never opts in', async () => {
  const home = freshHome();
  const out = await host(home, `k.generateKeyPairSync('ed25519'); console.log(k.analyticsConsent().source);`);
  expect(out.trim()).toBe('undecided');
  expect(existsSync(home)).toBe(false);
});

it('records exactly the scopes the host names, and follows changes at run time (even under CI)', async () => {
  const home = freshHome();
  const out = await host(
    home,
    `
    const consent = k.enableAnalytics({ scopes: ['performance'] });
    console.log(consent.source, [...consent.scopes].join(','));
    for (let i = 0; i < 5; i++) k.generateKeyPairSync('ed25519');
    k.setAnalyticsScopes(['usage', 'performance']);
    for (let i = 0; i < 3; i++) k.generateKeyPairSync('ec-p256');
    k.setAnalyticsScopes([]);
    for (let i = 0; i < 7; i++) k.generateKeyPairSync('ed25519');
    k.disableAnalytics();
    k.generateKeyPairSync('ed25519');
    console.log(k.analyticsConsent().source);
    `,
  );
  expect(out.trim().split('\n')).toEqual(['library performance', 'undecided']);
  const counts = countByType(spooled(home));
  // 5 + 3 timings; api calls (usage) only for the 3 made while usage was on; session.start needs usage, which was off at the start.
  expect(counts).toEqual({ 'keygen.timing': 8, 'api.call': 3 });
  const ledger = readFileSync(join(home, 'consent-ledger.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { source: string; scopes: string[] });
  expect(ledger.map((e) => [e.source, e.scopes.join(',')])).toEqual([
    ['library', 'performance'],
    ['library', 'usage,performance'],
    ['library', ''],
  ]);
});

it('DO_NOT_TRACK=1 wins over the host opting in', async () => {
  const home = freshHome();
  const out = await host(
    home,
    `const c = k.enableAnalytics({ scopes: ['usage', 'performance', 'errors', 'security'] }); k.generateKeyPairSync('ed25519'); console.log(c.source, c.scopes.size);`,
    { DO_NOT_TRACK: '1' },
  );
  expect(out.trim()).toBe('environment-off 0');
  expect(spooled(home)).toEqual([]);
});

it('records no error for a refused input, even with errors consent, but its repetition with security consent', async () => {
  const home = freshHome();
  await host(
    home,
    `
    k.enableAnalytics({ scopes: ['errors', 'security'] });
    for (let i = 0; i < 6; i++) { try { k.generateKeyPairSync('rsa-2050'); } catch {} }
    `,
  );
  const events = spooled(home);
  // A refused key size is the host's outcome, not keyscope failing: no error group to resolve (errors.ts).
  expect(events.filter((e) => e['type'] === 'error')).toEqual([]);
  expect(events.filter((e) => e['type'] === 'security.repeated-failures')).toEqual([expect.objectContaining({ code: 'KS_INVALID_KEY_SIZE', failures: 5 })]);
  expect(events.some((e) => e['type'] === 'api.call')).toBe(false);
});

it("the person's DO_NOT_TRACK wins even when the host passes an env of its own", async () => {
  const home = freshHome();
  const out = await host(
    home,
    `const c = k.enableAnalytics({ scopes: ['performance'], env: { KEYSCOPE_HOME: ${JSON.stringify(home)} } }); k.generateKeyPairSync('ed25519'); console.log(c.source);`,
    { DO_NOT_TRACK: '1' },
  );
  expect(out.trim()).toBe('environment-off');
  expect(spooled(home)).toEqual([]);
});

it('records key generations after a first opt-in to no scope is widened', async () => {
  const home = freshHome();
  await host(home, `k.enableAnalytics({ scopes: [] }); k.generateKeyPairSync('ed25519'); k.setAnalyticsScopes(['performance']); k.generateKeyPairSync('ed25519');`);
  expect(countByType(spooled(home))).toEqual({ 'keygen.timing': 1 });
});

it('refuses an unknown scope with a clear error', async () => {
  const home = freshHome();
  const out = await host(home, `try { k.enableAnalytics({ scopes: ['usage', 'telemetry'] }); } catch (e) { console.log(e.code, e.message); }`);
  expect(out.trim()).toMatch(/^KS_ANALYTICS_SCOPE enableAnalytics: scopes must be an array of usage, performance, errors, security$/);
});
