/**
 * Measurement is not usage: with every scope allowed, a bench run records one bench summary and no key
 * generation (its cases generate thousands), and profile() and measureKeygen() record none of the keys they
 * time; a key the host generates outside a measurement is still recorded.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

import { runCli } from '../support/cli.js';
import { countByType, spooled } from '../support/analytics-fixtures.js';

const execFileAsync = promisify(execFile);
const entry = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

// Inside the package (test-artifacts/ is git-ignored) so that the suite resolves 'keyscope' to this checkout.
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

it('a bench run with every scope allowed records one bench summary and no keygen event', async () => {
  const dir = mkdtempSync(join(artifacts, 'measurement-'));
  const home = join(dir, 'home');
  // Sync and async keyscope keygens through the public API, a weak key (a security event per call if
  // recorded) and an export (an api.call per call if recorded), besides the native case.
  writeFileSync(
    join(dir, 'tiny.suite.ts'),
    `import { defineSuite, generateKeyPair, generateKeyPairSync } from 'keyscope';
export default defineSuite({
  name: 'tiny',
  budget: { maxTimeMs: 150 },
  cases: () => [
    { kind: 'native', name: 'keygen', algorithm: 'ed25519' },
    { kind: 'js', name: 'keygen', implementation: 'keyscope', algorithm: 'ed25519', fn: () => generateKeyPairSync('ed25519') },
    { kind: 'js', name: 'keygen', implementation: 'keyscope-async', algorithm: 'ec-p256', fn: () => generateKeyPair('ec-p256') },
    { kind: 'js', name: 'export', implementation: 'keyscope', algorithm: 'ed25519', fn: () => generateKeyPairSync('ed25519').exportPublicKey({ format: 'pem' }) },
    { kind: 'js', name: 'weak', implementation: 'keyscope', algorithm: 'rsa-1024', allowWeak: true, fn: () => generateKeyPairSync('rsa-1024', { allowWeak: true }) },
  ],
});
`,
  );
  const env = { KEYSCOPE_HOME: home, CI: '', DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '', KEYSCOPE_ANALYTICS_DEBUG: '' };
  expect((await runCli(['analytics', 'enable'], { env })).status).toBe(0);
  const bench = await runCli(['bench', 'tiny', '--dir', dir, '--db', join(dir, 'store.duckdb'), '--no-pin', '--json'], { env });
  expect(bench.status, bench.stderr).toBe(0);
  const run = JSON.parse(bench.stdout) as { cases: { state: string; summary: { ns: { count: number } } }[] };
  expect(run.cases.map((c) => c.state)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
  // The run really generated keys through the recorded API: hundreds of them.
  expect(run.cases.slice(1).reduce((sum, c) => sum + c.summary.ns.count, 0)).toBeGreaterThan(100);

  const events = spooled(home);
  const counts = countByType(events);
  expect(counts['bench.run']).toBe(1);
  expect(counts['command']).toBe(1);
  expect(counts).not.toHaveProperty('keygen.timing');
  expect(counts).not.toHaveProperty('api.call');
  expect(counts).not.toHaveProperty('security.weak-parameters');
  expect(counts).not.toHaveProperty('security.burst');
  expect(events.length).toBeLessThanOrEqual(3); // command, bench.run and at most a session.start
}, 120_000);

it('profile() and measureKeygen() record none of the keys they time; a key outside them is recorded', async () => {
  const home = join(mkdtempSync(join(tmpdir(), 'keyscope-measurement-')), 'home');
  const script = `
    const k = await import(${JSON.stringify(entry)});
    k.enableAnalytics({ scopes: ['usage', 'performance', 'errors', 'security'] });
    await k.profile('sync', () => k.generateKeyPairSync('ed25519').exportPublicKey({ format: 'pem' }), { iterations: 200 });
    await k.profile('async', () => k.generateKeyPair('ec-p256'), { iterations: 50 });
    await k.profile('weak', () => k.generateKeyPairSync('rsa-1024', { allowWeak: true }), { iterations: 5, warmup: 1 });
    await k.measureKeygen('ed25519', { iterations: 200 });
    k.generateKeyPairSync('ed25519');
    k.disableAnalytics();
  `;
  await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, KEYSCOPE_HOME: home, CI: '', DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '', KEYSCOPE_ANALYTICS_DEBUG: '' },
  });
  const counts = countByType(spooled(home));
  expect(counts['keygen.timing']).toBe(1);
  expect(counts['api.call']).toBe(1);
  expect(counts).not.toHaveProperty('security.weak-parameters');
}, 60_000);
