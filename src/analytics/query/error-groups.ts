/**
 * Error groups, the read side: what `keyscope errors` lists and shows, and resolving a group (someone says it is
 * fixed). The groups are kept current by the warehouse (warehouse/error-groups.ts).
 */
import { type DuckDBConnection, DOUBLE, INTEGER, VARCHAR } from '@duckdb/node-api';

import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { QueryParameters, timestampFromMs } from '../warehouse/index.js';

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
  /** The latest occurrence's message template: its words, with every value as a placeholder (capture/privacy/message-template.ts). */
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

/** The shortest prefix `errors show|resolve` accept: shorter ones match too much to be meant. */
export const minimumPrefixLength = 4;

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
