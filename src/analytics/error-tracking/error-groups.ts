/**
 * Error groups: one row per fingerprint in `error_groups`, with how often and when it was seen, in which
 * keyscope versions, and whether someone resolved it. Ingest keeps the groups current inside its own
 * transaction (updateErrorGroups); `keyscope errors` lists, shows and resolves them.
 *
 * A resolved group that is seen again AFTER it was resolved becomes "regressed"; an occurrence older than the
 * resolution (a late spool from before the fix) only adds to the count.
 */
import { type DuckDBConnection, type DuckDBType, type DuckDBValue, DOUBLE, INTEGER, LIST, VARCHAR, listValue } from '@duckdb/node-api';

import { ErrorCodes, KeyscopeError, isOutcomeCode, outcomeCodes } from '../../core/errors.js';
import type { ErrorEvent, EventEnvelope } from '../events/types.js';
import { QueryParameters } from '../database/query-parameters.js';
import { fingerprintFrames } from './fingerprint.js';

export const errorGroupStatuses = ['open', 'resolved', 'regressed'] as const;
export type ErrorGroupStatus = (typeof errorGroupStatuses)[number];

export interface ErrorGroup {
  /** 16 hex digits (fingerprint.ts). */
  fingerprint: string;
  errorType: string;
  code: string | null;
  /** OpenSSL's first reason, when OpenSSL was involved. */
  opensslReason: string | null;
  /** The top in-package frames the fingerprint hashes (without line numbers). */
  frames: string[];
  /** The latest occurrence's message template: its words, with every value as a placeholder (privacy/message-template.ts). */
  message: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  /** keyscope versions it was seen in, sorted. */
  versions: string[];
  status: ErrorGroupStatus;
  resolvedAt: Date | null;
  resolvedVersion: string | null;
}

/** One recorded occurrence of a group, newest first in ErrorGroupDetail. */
export interface ErrorOccurrence {
  time: Date;
  operation: string | null;
  algorithm: string | null;
  keyscopeVersion: string;
  nodeVersion: string | null;
  opensslVersion: string | null;
}

export interface ErrorGroupDetail extends ErrorGroup {
  /** The latest occurrence's full scrubbed stack (at most 10 frames), empty when no occurrence is stored. */
  latestStack: string[];
  /** The newest occurrences still in `events` (retention removes old ones; the group's count stays). */
  occurrences: ErrorOccurrence[];
}

/** Groups per INSERT: keeps each statement's parameter list small while a big batch still takes few statements. */
const groupsPerStatement = 200;

/** The shortest prefix `errors show|resolve` accept: shorter ones match too much to be meant. */
export const minimumPrefixLength = 4;

interface BatchGroup {
  event: EventEnvelope & ErrorEvent;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The latest occurrence's message: the group shows the newest wording. */
  message: string;
  versions: Set<string>;
}

/** Folds a batch into one entry per fingerprint, so the database sees one upsert per group, not per event. */
function aggregate(errors: readonly (EventEnvelope & ErrorEvent)[]): BatchGroup[] {
  const groups = new Map<string, BatchGroup>();
  for (const error of errors) {
    const group = groups.get(error.fingerprint);
    if (group === undefined) {
      groups.set(error.fingerprint, {
        event: error,
        count: 1,
        firstSeen: error.time,
        lastSeen: error.time,
        message: error.message,
        versions: new Set([error.keyscopeVersion]),
      });
      continue;
    }
    group.count += 1;
    group.firstSeen = Math.min(group.firstSeen, error.time);
    if (error.time >= group.lastSeen) {
      group.lastSeen = error.time;
      group.message = error.message;
    }
    group.versions.add(error.keyscopeVersion);
  }
  return [...groups.values()];
}

/** Milliseconds since the epoch (possibly fractional) to a TIMESTAMP, in SQL, from a bound DOUBLE. */
const timestampFromMs = (placeholder: string) => `make_timestamp(CAST(round(${placeholder} * 1000) AS BIGINT))`;

/**
 * Called by ingest inside its transaction with the error events being ingested: inserts new groups (open),
 * adds to the count, first/last seen and versions of known ones, and reopens as "regressed" a resolved group
 * seen after its resolution.
 */
export async function updateErrorGroups(connection: DuckDBConnection, errors: readonly (EventEnvelope & ErrorEvent)[]): Promise<void> {
  // An older keyscope recorded outcomes (typos, refused inputs) as errors too: they make no group (errors.ts).
  const groups = aggregate(errors.filter((error) => !isOutcomeCode(error.code)));
  for (let start = 0; start < groups.length; start += groupsPerStatement) {
    const parameters = new QueryParameters();
    const bind = (value: DuckDBValue, type: DuckDBType) => parameters.bind(value, type);
    const tuples = groups.slice(start, start + groupsPerStatement).map((group) => {
      const { event } = group;
      return `(${[
        bind(event.fingerprint, VARCHAR),
        bind(event.errorType, VARCHAR),
        bind(event.code, VARCHAR),
        bind(event.openssl[0]?.reason ?? null, VARCHAR),
        bind(listValue(fingerprintFrames(event.stack)), LIST(VARCHAR)),
        bind(group.message, VARCHAR),
        bind(group.count, INTEGER),
        timestampFromMs(bind(group.firstSeen, DOUBLE)),
        timestampFromMs(bind(group.lastSeen, DOUBLE)),
        bind(listValue([...group.versions].sort()), LIST(VARCHAR)),
      ].join(', ')}, 'open', NULL, NULL)`;
    });
    // Every SET expression reads the row as it was before this statement (standard upsert semantics).
    await connection.run(
      `INSERT INTO error_groups (fingerprint, error_type, code, openssl_reason, frames, message, count, first_seen,
                                 last_seen, versions, status, resolved_at, resolved_version)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (fingerprint) DO UPDATE SET
         count = error_groups.count + EXCLUDED.count,
         first_seen = least(error_groups.first_seen, EXCLUDED.first_seen),
         last_seen = greatest(error_groups.last_seen, EXCLUDED.last_seen),
         message = CASE WHEN EXCLUDED.last_seen >= error_groups.last_seen THEN EXCLUDED.message ELSE error_groups.message END,
         versions = list_sort(list_distinct(list_concat(error_groups.versions, EXCLUDED.versions))),
         status = CASE WHEN error_groups.status = 'resolved' AND EXCLUDED.last_seen > error_groups.resolved_at
                       THEN 'regressed' ELSE error_groups.status END`,
      parameters.values,
      parameters.types,
    );
  }
}

const groupColumns = `fingerprint, error_type, code, openssl_reason, frames, message, count::DOUBLE AS count,
  epoch_ms(first_seen)::DOUBLE AS first_seen, epoch_ms(last_seen)::DOUBLE AS last_seen, versions, status,
  epoch_ms(resolved_at)::DOUBLE AS resolved_at, resolved_version`;

type Row = Record<string, unknown>;

const text = (row: Row, column: string): string => String(row[column]);
const optionalText = (row: Row, column: string): string | null => (row[column] === null ? null : String(row[column]));
const textList = (row: Row, column: string): string[] => (Array.isArray(row[column]) ? (row[column] as unknown[]).map(String) : []);

function groupFromRow(row: Row): ErrorGroup {
  const status = text(row, 'status');
  return {
    fingerprint: text(row, 'fingerprint'),
    errorType: text(row, 'error_type'),
    code: optionalText(row, 'code'),
    opensslReason: optionalText(row, 'openssl_reason'),
    frames: textList(row, 'frames'),
    message: text(row, 'message'),
    count: Number(row['count']),
    firstSeen: new Date(Number(row['first_seen'])),
    lastSeen: new Date(Number(row['last_seen'])),
    versions: textList(row, 'versions'),
    status: (errorGroupStatuses as readonly string[]).includes(status) ? (status as ErrorGroupStatus) : 'open',
    resolvedAt: row['resolved_at'] === null ? null : new Date(Number(row['resolved_at'])),
    resolvedVersion: optionalText(row, 'resolved_version'),
  };
}

export interface ErrorGroupFilter {
  /** Only groups in this status; all of them when absent. */
  status?: ErrorGroupStatus;
  /** At most this many (the most recently seen first). */
  limit?: number;
}

/**
 * After error events are deleted (`analytics delete`, retention): the groups of `fingerprints` are recomputed
 * from the error events that remain (count, first and last seen, versions, latest message), and a group left
 * with none is removed, so that nothing of a deleted event survives in error_groups. Statuses stay as they
 * were. Returns the number of groups removed. Use inside the transaction that deleted the events.
 */
export async function reconcileErrorGroups(connection: DuckDBConnection, fingerprints: readonly string[]): Promise<number> {
  if (fingerprints.length === 0) return 0;
  const gone = new QueryParameters();
  const removed = await connection.runAndReadAll(
    `DELETE FROM error_groups
      WHERE list_contains(${gone.bind(listValue([...fingerprints]), LIST(VARCHAR))}, fingerprint)
        AND fingerprint NOT IN (SELECT fingerprint FROM events WHERE type = 'error' AND fingerprint IS NOT NULL)`,
    gone.values,
    gone.types,
  );
  const kept = new QueryParameters();
  await connection.run(
    `UPDATE error_groups SET count = r.n, first_seen = r.first_seen, last_seen = r.last_seen, versions = r.versions, message = r.message
       FROM (SELECT fingerprint, count(*) AS n, min(time) AS first_seen, max(time) AS last_seen,
                    list_sort(list_distinct(list(keyscope_version))) AS versions,
                    coalesce(arg_max(properties->>'message', time), '') AS message
               FROM events
              WHERE type = 'error' AND list_contains(${kept.bind(listValue([...fingerprints]), LIST(VARCHAR))}, fingerprint)
              GROUP BY fingerprint) r
      WHERE error_groups.fingerprint = r.fingerprint`,
    kept.values,
    kept.types,
  );
  return Number(removed.rowsChanged);
}

/**
 * An SQL condition on `column` (an error code) that leaves out outcomes: error events an older keyscope recorded
 * for typos and refused inputs, which counts of errors must not include any more than groups do.
 */
export function failureCodeCondition(parameters: QueryParameters, column = 'error_code'): string {
  return `(${column} IS NULL OR NOT list_contains(${parameters.bind(listValue([...outcomeCodes]), LIST(VARCHAR))}, ${column}))`;
}

/**
 * Removes the groups an older keyscope made of outcomes (KS_USAGE, KS_FILE_EXISTS, ...: errors.ts
 * errorCodeKinds), so a database from before the split lists only failures. Their events stay, as the
 * usage they were. Run on every open; the table holds a few groups.
 */
export async function dropOutcomeGroups(connection: DuckDBConnection): Promise<void> {
  const parameters = new QueryParameters();
  await connection.run(
    `DELETE FROM error_groups WHERE list_contains(${parameters.bind(listValue([...outcomeCodes]), LIST(VARCHAR))}, code)`,
    parameters.values,
    parameters.types,
  );
}

/** Groups, most recently seen first. */
export async function listErrorGroups(connection: DuckDBConnection, filter: ErrorGroupFilter = {}): Promise<ErrorGroup[]> {
  const parameters = new QueryParameters();
  const where = filter.status === undefined ? '' : `WHERE status = ${parameters.text(filter.status)}`;
  const limit = filter.limit === undefined ? '' : `LIMIT ${parameters.bind(filter.limit, INTEGER)}`;
  const sql = `SELECT ${groupColumns} FROM error_groups ${where} ORDER BY last_seen DESC, fingerprint ${limit}`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
  return rows.map(groupFromRow);
}

/** The one group a full fingerprint or an unambiguous prefix names. */
async function findGroup(connection: DuckDBConnection, fingerprintOrPrefix: string): Promise<ErrorGroup> {
  const wanted = fingerprintOrPrefix.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(wanted)) {
    throw new KeyscopeError(ErrorCodes.errorGroupNotFound, `no error group ${JSON.stringify(fingerprintOrPrefix)} (a fingerprint is hex digits)`);
  }
  if (wanted.length < minimumPrefixLength) {
    throw new KeyscopeError(ErrorCodes.errorGroupAmbiguous, `fingerprint prefix "${wanted}" is too short (give at least ${minimumPrefixLength} hex digits)`);
  }
  const rows = (
    await connection.runAndReadAll(
      `SELECT ${groupColumns} FROM error_groups WHERE starts_with(fingerprint, $1) ORDER BY fingerprint LIMIT 6`,
      [wanted],
      [VARCHAR],
    )
  ).getRowObjectsJS();
  const groups = rows.map(groupFromRow);
  const exact = groups.find((group) => group.fingerprint === wanted);
  if (exact !== undefined) return exact;
  if (groups.length === 0) throw new KeyscopeError(ErrorCodes.errorGroupNotFound, `no error group with fingerprint ${wanted}`);
  if (groups.length > 1) {
    const shown = groups.slice(0, 5).map((group) => group.fingerprint);
    const more = groups.length > 5 ? ', ...' : '';
    throw new KeyscopeError(ErrorCodes.errorGroupAmbiguous, `fingerprint prefix ${wanted} matches several groups (${shown.join(', ')}${more}): give more digits`);
  }
  return groups[0]!;
}

function parseStack(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((frame): frame is string => typeof frame === 'string') : [];
  } catch {
    return [];
  }
}

/** A group with its latest stack and newest occurrences. */
export async function getErrorGroup(connection: DuckDBConnection, fingerprintOrPrefix: string, occurrenceLimit = 10): Promise<ErrorGroupDetail> {
  const group = await findGroup(connection, fingerprintOrPrefix);
  const rows = (
    await connection.runAndReadAll(
      `SELECT epoch_ms(time)::DOUBLE AS time, operation, algorithm, keyscope_version,
              properties->>'nodeVersion' AS node_version, properties->>'opensslVersion' AS openssl_version,
              CAST(properties->'stack' AS VARCHAR) AS stack
         FROM events
        WHERE type = 'error' AND fingerprint = $1
        ORDER BY time DESC
        LIMIT $2`,
      [group.fingerprint, occurrenceLimit],
      [VARCHAR, INTEGER],
    )
  ).getRowObjectsJS();
  return {
    ...group,
    latestStack: rows.length > 0 ? parseStack(rows[0]!['stack']) : [],
    occurrences: rows.map((row) => ({
      time: new Date(Number(row['time'])),
      operation: optionalText(row, 'operation'),
      algorithm: optionalText(row, 'algorithm'),
      keyscopeVersion: text(row, 'keyscope_version'),
      nodeVersion: optionalText(row, 'node_version'),
      opensslVersion: optionalText(row, 'openssl_version'),
    })),
  };
}

export interface ResolveOptions {
  /** The keyscope version the fix is in (recorded with the resolution). */
  version: string;
  /** Clock for tests. */
  now?: () => number;
}

/** Marks a group resolved now; an occurrence after this moment makes it "regressed". */
export async function resolveErrorGroup(connection: DuckDBConnection, fingerprintOrPrefix: string, options: ResolveOptions): Promise<ErrorGroup> {
  const group = await findGroup(connection, fingerprintOrPrefix);
  const now = (options.now ?? Date.now)();
  await connection.run(
    `UPDATE error_groups SET status = 'resolved', resolved_at = ${timestampFromMs('$1')}, resolved_version = $2 WHERE fingerprint = $3`,
    [now, options.version, group.fingerprint],
    [DOUBLE, VARCHAR, VARCHAR],
  );
  return { ...group, status: 'resolved', resolvedAt: new Date(now), resolvedVersion: options.version };
}
