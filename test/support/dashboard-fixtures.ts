/**
 * The dashboard server tests' pieces: an analytics home with a known set of events (inserted straight into a
 * real analytics.duckdb, then closed, so the server opens it as it would on any machine), a started server on
 * a free port, and small clients (fetch with the token; raw http for a Host header fetch will not send; an
 * SSE reader).
 *
 * The known events all lie in one day (fixtureDay, UTC), queried with the absolute range `fixtureRange`; one
 * api.call lies in the day before (the "previous" range). Expected answers, worked out by hand:
 *   keys (successful generate api.calls): ed25519 ok x3 + rsa-2048 ok x1 = 4; the ed25519 error made none (previous day: 1)
 *   keygen.timing: ed25519/keyscope ok 100 ns, 200 ns; ed25519/keyscope error 150 ns; rsa-2048/node ok 250 ns
 *     -> success 3/4 = 0.75; p50 150 ns, p99 250 ns (HDR is exact below 256 ns); node only: 1/1, p50 250 ns
 *   errors: 2 events of group fixtureFingerprint (00:10 and 01:10) -> 2, one per hour bucket
 *   sessions: session-1 (api calls, commands, errors) and session-2 (timings) -> 2
 *   commands in session-1: keygen --format (00:01), bench (00:02) -> flows (start)->keygen->bench->(end)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

import { updateErrorGroups } from '../../src/analytics/warehouse/error-groups.js';
import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import type { AnalyticsPaths } from '../../src/analytics/events/paths.js';
import type { LiveChange } from '../../src/dashboard/http/api-types.js';
import { type DashboardOptions, type RunningDashboard, startDashboard } from '../../src/dashboard/index.js';
import { uiDirectory } from '../../src/dashboard/http/static-files.js';
import { repoRoot, tempAnalyticsPaths } from './analytics-fixtures.js';
import { type FixtureEvent, insertEvents, recordedError } from './analytics-query-fixtures.js';

const dayMs = 86_400_000;
/** Midnight (UTC) two days ago: recent enough for retention, which an open applies, and a whole past day. */
export const fixtureDay = Math.floor(Date.now() / dayMs) * dayMs - 2 * dayMs;
/** The ISO time `minutes` after the fixture day's midnight. */
export const fixtureTime = (minutes: number) => new Date(fixtureDay + minutes * 60_000).toISOString();
export const fixtureRange = `${fixtureTime(0)}..${fixtureTime(24 * 60)}`;
export const fixtureFingerprint = 'a1b2c3d4e5f60718';
/** An error message with markup in it: exports and pages must carry it as text. */
export const hostileMessage = 'bad </script><img src=x onerror=alert(1)> "quoted", =cmd';

const minute = 60_000;
const at = (minutes: number) => fixtureDay + minutes * minute;

function generateCall(time: number, algorithm: string, outcome: 'ok' | 'error'): FixtureEvent {
  return { time, type: 'api.call', operation: 'generateKeyPairSync', algorithm, outcome };
}

function timing(time: number, algorithm: string, implementation: string, outcome: 'ok' | 'error', durationNs: number): FixtureEvent {
  return { time, type: 'keygen.timing', sessionId: 'session-2', operation: 'generateKeyPairSync', algorithm, outcome, durationNs, properties: { implementation } };
}

function errorEvent(time: number): FixtureEvent {
  return {
    time,
    type: 'error',
    operation: 'api generateKeyPairSync',
    algorithm: 'ed25519',
    errorCode: 'KS_OPENSSL',
    fingerprint: fixtureFingerprint,
    properties: {
      errorType: 'OpenSSLError',
      message: hostileMessage,
      stack: ['at generate (dist/core/keygen.js:10:3)'],
      nodeVersion: 'v20.19.0',
      opensslVersion: '3.0.15',
    },
  };
}

export const fixtureEvents: FixtureEvent[] = [
  generateCall(fixtureDay - 12 * 60 * minute, 'ed25519', 'ok'),
  { time: at(1), type: 'command', operation: 'keygen', outcome: 'ok', durationNs: 5e6, properties: { options: ['--format'] } },
  { time: at(2), type: 'command', operation: 'bench', outcome: 'ok', durationNs: 5e6, properties: { options: [] } },
  generateCall(at(3), 'ed25519', 'ok'),
  generateCall(at(4), 'ed25519', 'ok'),
  generateCall(at(5), 'ed25519', 'error'),
  generateCall(at(6), 'rsa-2048', 'ok'),
  generateCall(at(7), 'ed25519', 'ok'),
  timing(at(3), 'ed25519', 'keyscope', 'ok', 100),
  timing(at(4), 'ed25519', 'keyscope', 'ok', 200),
  timing(at(5), 'ed25519', 'keyscope', 'error', 150),
  timing(at(6), 'rsa-2048', 'node', 'ok', 250),
  errorEvent(at(10)),
  errorEvent(at(70)),
];

/** A fresh analytics home holding the fixture events and their error group. */
export async function fixtureHome(prefix = 'keyscope-dashboard-'): Promise<AnalyticsPaths> {
  const paths = tempAnalyticsPaths(prefix);
  const database = await openAnalyticsDatabase({ paths });
  try {
    await insertEvents(database.connection, fixtureEvents);
    const errors = fixtureEvents.filter((event) => event.type === 'error');
    await updateErrorGroups(
      database.connection,
      errors.map((event) => recordedError({ time: event.time, fingerprint: fixtureFingerprint, message: hostileMessage, algorithm: 'ed25519' })),
    );
  } finally {
    await database.close();
  }
  return paths;
}

/**
 * Builds the browser app (dist/dashboard-ui) when it is not there yet (`npm test` builds it first). An existing
 * build is left alone: rebuilding it here could race a browser test reading it.
 */
export function ensureUiBuilt(): void {
  if (existsSync(join(uiDirectory, 'index.html')) && existsSync(join(uiDirectory, 'app.js'))) return;
  execFileSync(process.execPath, ['scripts/build-dashboard-ui.mjs'], { cwd: repoRoot, stdio: 'ignore' });
}

export interface TestDashboard extends RunningDashboard {
  paths: AnalyticsPaths;
  /** fetch with the Bearer token. */
  get(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string, init?: RequestInit): Promise<T>;
}

/** Starts a dashboard on a free port over `paths` (no run store, built-in alert rules only). */
export async function startTestDashboard(paths: AnalyticsPaths, options: DashboardOptions = {}): Promise<TestDashboard> {
  const dashboard = await startDashboard({ port: 0, paths, storePath: join(paths.home, 'no-runs.duckdb'), rulesFile: null, ...options });
  const get = (path: string, init: RequestInit = {}) =>
    fetch(`${dashboard.origin}${path}`, { ...init, headers: { authorization: `Bearer ${dashboard.token}`, ...(init.headers as Record<string, string> | undefined) } });
  return {
    ...dashboard,
    close: () => dashboard.close(),
    paths,
    get,
    async json<T>(path: string, init?: RequestInit): Promise<T> {
      const response = await get(path, init);
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}

/** The path with the fixture range and `extra` query parameters. */
export function withRange(path: string, extra: Record<string, string> = {}): string {
  return `${path}?${new URLSearchParams({ range: fixtureRange, ...extra }).toString()}`;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with any headers (fetch will not send a Host header of our choosing). */
export function rawGet(port: number, path: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The `change` events of an /api/live (server-sent events) body, in order, until it ends. */
export async function* liveChangeEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<LiveChange> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(message);
      if (/^event: change$/m.test(message) && data !== null) yield JSON.parse(data[1]!) as LiveChange;
    }
  }
}

/**
 * Reads `change` events from /api/live until `until` returns true for one (or the stream ends). `onOpen` runs
 * once the server has answered the stream's headers, which it does after registering the stream: a change
 * made from then on is sent to it.
 */
export async function readLiveChanges(
  dashboard: TestDashboard,
  until: (change: LiveChange) => boolean,
  signal: AbortSignal,
  onOpen: () => void = () => {},
): Promise<LiveChange> {
  const response = await dashboard.get('/api/live', { signal });
  if (response.body === null) throw new Error('no event stream');
  onOpen();
  for await (const change of liveChangeEvents(response.body)) {
    if (until(change)) return change;
  }
  throw new Error('the event stream ended');
}
