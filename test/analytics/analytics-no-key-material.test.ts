/**
 * No fragment of any key reaches analytics. Real keys are generated in every supported algorithm and exported
 * in every format; their encodings are then pushed through every error and event path there is (CLI arguments,
 * option values, file paths, environment variable names, library arguments and options, exports), with every
 * scope on and KEYSCOPE_ANALYTICS_DEBUG=1. Afterwards every 16-character window of every encoding is looked for
 * in the spools, the debug log, the database file, every text column of the database, the exports (JSON, CSV)
 * and the inspect and errors output. A 16-character window of random base64 or hex never appears by chance.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

import { listAlgorithms } from '../../src/core/algorithms.js';
import { generateKeyPairSync } from '../../src/core/keygen.js';
import { runCli } from '../support/cli.js';

const execFileAsync = promisify(execFile);
const window = 16;

/** Every encoding of a key that could leak: PEM bodies, DER as base64 and hex, JWK members, encrypted PEM. */
function encodingsOf(algorithm: string): string[] {
  const pair = generateKeyPairSync(algorithm as never);
  const encodings: string[] = [];
  const body = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  for (const pem of [pair.exportPrivateKey({ format: 'pem' }), pair.exportPublicKey({ format: 'pem' }), pair.exportPrivateKey({ format: 'pem', passphrase: 'correct horse' })]) {
    encodings.push(pem, body(pem));
  }
  for (const der of [pair.exportPrivateKey({ format: 'der' }), pair.exportPublicKey({ format: 'der' })]) {
    encodings.push(der.toString('base64'), der.toString('hex'), der.toString('base64url'));
  }
  for (const jwk of [pair.exportPrivateKey({ format: 'jwk' }), pair.exportPublicKey({ format: 'jwk' })]) {
    for (const [name, value] of Object.entries(jwk)) {
      if (typeof value === 'string' && !['kty', 'crv', 'alg', 'use'].includes(name)) encodings.push(value);
    }
    encodings.push(JSON.stringify(jwk));
  }
  pair.release();
  return encodings;
}

/** The 16-character windows of the encodings' key bytes (armour and JSON punctuation are not secret). */
function windowsOf(encodings: readonly string[]): Set<string> {
  const windows = new Set<string>();
  for (const encoding of encodings) {
    const secret = encoding.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    if (secret.startsWith('{')) continue; // the JWK's members are in the list on their own
    for (let i = 0; i + window <= secret.length; i++) windows.add(secret.slice(i, i + window));
  }
  return windows;
}

function leaksIn(haystack: string, windows: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (let i = 0; i + window <= haystack.length; i++) {
    const candidate = haystack.slice(i, i + window);
    if (windows.has(candidate)) found.push(candidate);
  }
  return found;
}

const supported = listAlgorithms().filter((algorithm) => algorithm.supported).map((algorithm) => algorithm.id);
const home = join(mkdtempSync(join(tmpdir(), 'keyscope-no-key-material-')), 'home');
const env: NodeJS.ProcessEnv = { KEYSCOPE_HOME: home, CI: '', DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '', KEYSCOPE_ANALYTICS_DEBUG: '1' };
const keys = new Map<string, string[]>();
let windows = new Set<string>();
let debugLog = '';
let spoolBytes = '';

function keepDebug(stderr: string): void {
  debugLog += stderr
    .split('\n')
    .filter((line) => line.startsWith('keyscope analytics:'))
    .join('\n');
}

/** Runs a library host in a child: opts in to every scope, then misuses the API with key material. */
async function runLibraryHost(material: readonly string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-host-'));
  const inputs = join(dir, 'inputs.json');
  writeFileSync(inputs, JSON.stringify(material));
  const entry = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  const script = `
    import { readFileSync } from 'node:fs';
    const k = await import(${JSON.stringify(entry)});
    k.enableAnalytics({ scopes: ['usage', 'performance', 'errors', 'security'] });
    const attempt = async (f) => { try { await f(); } catch {} };
    for (const text of JSON.parse(readFileSync(${JSON.stringify(inputs)}, 'utf8'))) {
      await attempt(() => k.generateKeyPairSync(text));
      await attempt(() => k.generateKeyPair(text));
      await attempt(() => k.generateKeyPairSync('ed25519', { allowWeak: text }));
      await attempt(() => k.generateKeyPairSync('ed25519', { [text]: true }));
      const pair = k.generateKeyPairSync('ed25519');
      await attempt(() => pair.exportPrivateKey({ format: text }));
      await attempt(() => pair.exportPrivateKey({ format: 'jwk', passphrase: text }));
      pair.exportPrivateKey({ format: 'pem', passphrase: text });
      pair.exportPublicKey({ format: 'jwk' });
    }
  `;
  const { stderr } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  keepDebug(stderr);
}

function snapshotSpools(): void {
  const dir = join(home, 'spool');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) spoolBytes += readFileSync(join(dir, name)).toString('latin1');
}

/** A store path, named after `text`, whose .wal exists without its database. */
function leftoverWal(outDir: string, text: string): string {
  const folder = join(outDir, 'wal', text.replace(/[/\n]/g, '_').slice(0, 64));
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'runs.duckdb.wal'), 'left over');
  return join(folder, 'runs.duckdb');
}

beforeAll(async () => {
  for (const algorithm of supported) keys.set(algorithm, encodingsOf(algorithm));
  windows = windowsOf([...keys.values()].flat());
  expect((await runCli(['analytics', 'enable'], { env })).status).toBe(0);

  // What a person could paste into the wrong place: whole PEMs, PEM bodies, and 64-character slices.
  const material: string[] = [];
  for (const encodings of keys.values()) {
    const [privatePem, privateBody] = encodings;
    material.push(privatePem!, privateBody!.slice(0, 64), encodings[encodings.length - 2]!.slice(0, 64));
  }
  const outDir = mkdtempSync(join(tmpdir(), 'keyscope-leak-out-'));
  for (const text of material) {
    const calls: string[][] = [
      ['keygen', text],
      ['keygen', 'ed25519', '--format', text],
      ['keygen', 'ed25519', '--out', join(outDir, 'missing', text.replace(/[/\n]/g, '_').slice(0, 64), 'k.pem')],
      ['keygen', 'ed25519', '--out', join(outDir, 'k.pem'), '--force', '--passphrase-env', text.replace(/\W/g, '_').slice(0, 64)],
      ['runs', 'show', text.slice(0, 64), '--db', join(outDir, 'runs.duckdb')],
      [text.replace(/\s/g, '').slice(0, 64)],
      // A failure (KS_STORE_CORRUPT: a store's write-ahead log without its database) whose message names a
      // path made of key material: the one kind of these that becomes an error event and a group.
      ['runs', 'list', '--db', leftoverWal(outDir, text)],
    ];
    for (const args of calls) keepDebug((await runCli(args, { env })).stderr);
  }
  await runLibraryHost(material);
  snapshotSpools();
  // Some 230 CLI processes one after another: under 4 minutes on CI, two to three times that under the sanitizers.
}, 1_200_000);

describe('no fragment of any key', () => {
  it('the test sees real keys of every supported algorithm, and the debug log saw the errors', () => {
    expect(supported.length).toBeGreaterThanOrEqual(6);
    expect(windows.size).toBeGreaterThan(10_000);
    expect(debugLog).toContain('"type":"error"');
    expect(debugLog).toContain('KS_STORE_CORRUPT');
    // Typos and refusals are usage: their codes are on the command events.
    expect(debugLog).toContain('"code":"KS_UNKNOWN_ALGORITHM"');
    expect(spoolBytes.length).toBeGreaterThan(0);
  });

  it('reaches the spools or the debug log', () => {
    expect(leaksIn(spoolBytes, windows)).toEqual([]);
    expect(leaksIn(debugLog, windows)).toEqual([]);
  });

  it('reaches the database, its exports, inspect or the error groups', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'keyscope-leak-export-'));
    mkdirSync(outDir, { recursive: true });
    const json = join(outDir, 'events.json');
    const csv = join(outDir, 'events.csv');
    expect((await runCli(['analytics', 'export', '--format', 'json', '--out', json], { env })).status).toBe(0);
    expect((await runCli(['analytics', 'export', '--format', 'csv', '--out', csv], { env })).status).toBe(0);
    const inspect = await runCli(['analytics', 'inspect', '--json'], { env });
    const groups = await runCli(['errors', 'list', '--status', 'all', '--json'], { env });
    expect(inspect.status).toBe(0);
    expect(groups.status).toBe(0);
    const exported = readFileSync(json, 'utf8');
    expect(exported).toContain('KS_UNKNOWN_ALGORITHM');
    expect(JSON.parse(groups.stdout)).not.toHaveLength(0);

    const database = readFileSync(join(home, 'analytics.duckdb')).toString('latin1');
    for (const [name, text] of [['database file', database], ['json export', exported], ['csv export', readFileSync(csv, 'utf8')], ['inspect', inspect.stdout], ['errors list', groups.stdout]] as const) {
      expect({ name, leaks: leaksIn(text, windows) }).toEqual({ name, leaks: [] });
    }
    // Each group in detail, as `errors show` prints it.
    for (const group of JSON.parse(groups.stdout) as { fingerprint: string }[]) {
      const shown = await runCli(['errors', 'show', group.fingerprint, '--json'], { env });
      expect(leaksIn(shown.stdout, windows)).toEqual([]);
    }
  }, 300_000);
});
