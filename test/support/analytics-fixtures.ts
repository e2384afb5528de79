/**
 * Shared pieces of the analytics write-path tests: a private analytics home, consents, one valid event of
 * each type, and a runner for child processes that execute TypeScript snippets against the sources (the
 * concurrency and crash tests need real separate processes: other pids, real kills).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { type AnalyticsPaths, analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { readSpoolSegment } from '../../src/analytics/spool/binary-segment.js';
import { allScopes, type AnalyticsEvent, type Scope } from '../../src/analytics/events/types.js';
import type { EffectiveConsent } from '../../src/analytics/capture/consent/types.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function tempAnalyticsPaths(prefix = 'keyscope-analytics-'): AnalyticsPaths {
  return analyticsPathsIn(mkdtempSync(join(tmpdir(), prefix)));
}

export const testInstallId = '3f0d6a43-7f6e-4a8e-9d38-6f1f5d2c8b11';
export const testSessionId = '8c2b1e90-5d4f-4b7a-a1c3-2e6f9d8b7a64';

export function consentFor(scopes: readonly Scope[] = allScopes): EffectiveConsent {
  return {
    scopes: new Set(scopes),
    source: scopes.length > 0 ? 'file' : 'undecided',
    noticeVersion: scopes.length > 0 ? 1 : null,
    installId: scopes.length > 0 ? testInstallId : null,
    detail: 'test consent',
  };
}

/** One valid event of every type. */
export const sampleEvents = {
  sessionStart: { type: 'session.start', scope: 'usage', surface: 'cli', platform: 'linux', arch: 'x64', nodeVersion: 'v20.17.0', opensslVersion: 'OpenSSL 3.0.13 30 Jan 2024' },
  command: {
    type: 'command',
    scope: 'usage',
    command: 'keygen',
    options: ['--format', '--out'],
    algorithm: 'ed25519',
    format: 'pem',
    outcome: 'ok',
    exitCode: 0,
    durationMs: 42.5,
  },
  apiCall: { type: 'api.call', scope: 'usage', api: 'exportPrivateKey', algorithm: 'ec-p256', outcome: 'ok', format: 'jwk', encrypted: false },
  keygenTiming: {
    type: 'keygen.timing',
    scope: 'performance',
    api: 'generateKeyPairSync',
    algorithm: 'ed25519',
    implementation: 'keyscope',
    outcome: 'ok',
    durationNs: 25_000,
    cycles: 70_000,
  },
  benchRun: {
    type: 'bench.run',
    scope: 'performance',
    cases: 2,
    completed: 2,
    errored: 0,
    durationMs: 1500,
    summaries: [{ suite: 'default', case: 'ed25519', algorithm: 'ed25519', samples: 100, medianNs: 25_000 }],
  },
  error: {
    type: 'error',
    scope: 'errors',
    errorType: 'StoreError',
    code: 'KS_STORE_CORRUPT',
    message: 'keyscope store <path> is corrupt (missing table samples); it was not modified',
    openssl: [],
    stack: ['at generateKeyPairSync (dist/core/keygen.js:42:17)'],
    fingerprint: '0123456789abcdef',
    operation: 'api generateKeyPairSync',
    algorithm: 'rsa-1',
    nodeVersion: 'v20.17.0',
    opensslVersion: 'OpenSSL 3.0.13',
  },
  weakParameters: { type: 'security.weak-parameters', scope: 'security', operation: 'api generateKeyPairSync', algorithm: 'rsa-1024' },
  burst: { type: 'security.burst', scope: 'security', algorithm: 'ed25519', keysInSecond: 5000 },
  repeatedFailures: { type: 'security.repeated-failures', scope: 'security', fingerprint: '0123456789abcdef', code: 'KS_OPENSSL', failures: 5, windowSeconds: 60 },
} as const satisfies Record<string, AnalyticsEvent>;

/** A valid command event (a fresh copy, safe to change). */
export function commandEvent(command = 'keygen'): AnalyticsEvent {
  return { ...sampleEvents.command, command, options: [...sampleEvents.command.options] };
}

/**
 * Starts `node --import tsx` on a snippet of TypeScript (an ES module; import sources with `src(...)`). The
 * snippet runs with the repository as its working directory.
 */
export function spawnSnippet(code: string, options: { env?: NodeJS.ProcessEnv; dir?: string } = {}): ChildProcess {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'keyscope-child-'));
  const file = join(dir, `child-${process.pid}-${Math.random().toString(16).slice(2)}.mts`);
  writeFileSync(file, code);
  return spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The file URL of a source module, for import statements in snippets. */
export function src(path: string): string {
  return pathToFileURL(join(repoRoot, 'src', path)).href;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function waitForChild(child: ChildProcess): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Records `events` through a real recorder at the given times (ms) and closes it (sealed spool). */
export async function recordAt(paths: AnalyticsPaths, events: readonly { event: AnalyticsEvent; time: number }[]): Promise<void> {
  const { createRecorder } = await import('../../src/analytics/capture/recorder.js');
  let time = 0;
  const recorder = createRecorder({ consent: consentFor(), paths, sessionId: testSessionId, now: () => time });
  for (const entry of events) {
    time = entry.time;
    if (!recorder.record(entry.event)) throw new Error(`fixture event ${entry.event.type} was not recorded`);
  }
  recorder.close();
}

export const dayMs = 24 * 60 * 60 * 1000;

/** Every event in the home's spools: JSONL lines and native records. */
export function spooled(home: string): Record<string, unknown>[] {
  const dir = join(home, 'spool');
  if (!existsSync(dir)) return [];
  const events: Record<string, unknown>[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name.endsWith('.bin')) events.push(...(readSpoolSegment(path, 0).events as unknown as Record<string, unknown>[]));
    else for (const line of readFileSync(path, 'utf8').split('\n')) if (line.startsWith('{"time"')) events.push(JSON.parse(line) as Record<string, unknown>);
  }
  return events;
}

export const countByType = (events: Record<string, unknown>[]) =>
  events.reduce<Record<string, number>>((counts, event) => ({ ...counts, [String(event['type'])]: (counts[String(event['type'])] ?? 0) + 1 }), {});
