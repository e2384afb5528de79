/**
 * Small analytics databases for the error-tracking and query tests: an in-memory DuckDB with the real schema
 * and rollup tables, and rows appended directly (not through the recorder and spools), so that each test
 * states exactly which events exist and can compute its expected answers by hand. insertEvents refreshes the
 * rollups over the events it inserted, as ingest does.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

import { appendEventRows } from '../../src/analytics/warehouse/append-events.js';
import { createRollupSchema, refreshRollups } from '../../src/analytics/warehouse/rollups.js';
import { createAnalyticsSchema } from '../../src/analytics/warehouse/schema.js';
import { eventScopes, type ErrorEvent, type EventEnvelope, type EventType } from '../../src/analytics/events/types.js';

export interface FixtureDatabase {
  connection: DuckDBConnection;
  close(): void;
}

export async function openFixtureDatabase(path = ':memory:'): Promise<FixtureDatabase> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run(createAnalyticsSchema);
  await connection.run(createRollupSchema);
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** One `events` row; everything but time and type has a neutral default. */
export interface FixtureEvent {
  /** Milliseconds since the epoch. */
  time: number;
  type: EventType;
  sessionId?: string;
  keyscopeVersion?: string;
  operation?: string | null;
  algorithm?: string | null;
  outcome?: 'ok' | 'error' | null;
  durationNs?: number | null;
  errorCode?: string | null;
  fingerprint?: string | null;
  properties?: Record<string, unknown> | null;
}

/**
 * Inserts `events` through ingest's own append path and, unless told not to, refreshes the rollups over their
 * time range (as ingest does).
 */
export async function insertEvents(connection: DuckDBConnection, events: readonly FixtureEvent[], options: { refresh?: boolean } = {}): Promise<void> {
  await appendEventRows(
    connection,
    events.map((event) => ({
      timeMs: event.time,
      scope: eventScopes[event.type],
      type: event.type,
      installId: 'install-1',
      sessionId: event.sessionId ?? 'session-1',
      keyscopeVersion: event.keyscopeVersion ?? '0.1.0',
      operation: event.operation ?? null,
      algorithm: event.algorithm ?? null,
      outcome: event.outcome ?? null,
      durationNs: event.durationNs ?? null,
      cycles: null,
      errorCode: event.errorCode ?? null,
      fingerprint: event.fingerprint ?? null,
      properties: event.properties == null ? null : JSON.stringify(event.properties),
    })),
  );
  if (options.refresh !== false && events.length > 0) {
    const times = events.map((event) => event.time);
    await refreshRollups(connection, { fromMs: Math.min(...times), toMs: Math.max(...times) });
  }
}

/** A recorded error event as ingest hands it to updateErrorGroups. */
export function recordedError(overrides: Partial<EventEnvelope & ErrorEvent> = {}): EventEnvelope & ErrorEvent {
  return {
    time: Date.UTC(2025, 0, 1),
    installId: 'install-1',
    sessionId: 'session-1',
    keyscopeVersion: '0.1.0',
    type: 'error',
    scope: 'errors',
    errorType: 'OpenSSLError',
    code: 'KS_OPENSSL',
    message: 'key generation failed',
    openssl: [{ library: 'rsa routines', reason: 'key size too small' }],
    stack: ['at generate (dist/core/keygen.js:10:3)', 'at main (dist/cli/main.js:5:1)'],
    fingerprint: '0123456789abcdef',
    operation: 'api generateKeyPairSync',
    nodeVersion: '20.19.0',
    opensslVersion: '3.0.15',
    ...overrides,
  };
}

/** The rows of a query, as plain objects. */
export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS();
}
