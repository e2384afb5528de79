/**
 * `keyscope errors list|show|resolve`: the error groups analytics collected (errors scope), from the command
 * line. Each command opens the analytics database, which first ingests every pending spool, so what it shows
 * includes the errors of processes that have not been ingested yet.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { openAnalyticsDatabase } from '../analytics/warehouse/index.js';
import { type ErrorGroup, type ErrorGroupDetail, errorGroupStatuses, type ErrorGroupStatus, getErrorGroup, listErrorGroups, resolveErrorGroup } from '../analytics/query/index.js';
import { type AnalyticsPaths, resolveAnalyticsPaths } from '../analytics/events/index.js';
import { ErrorCodes, KeyscopeError, keyscopeVersion } from '../core/index.js';
import { analyticsWaitNotice } from './analytics-wait.js';

export interface ErrorsIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface ErrorsListOptions {
  status?: string;
  json?: boolean;
}

export interface ErrorsShowOptions {
  json?: boolean;
}

export interface ErrorsResolveOptions {
  /** Clock for tests. */
  now?: () => number;
}

async function withDatabase<T>(io: ErrorsIO, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const paths: AnalyticsPaths = resolveAnalyticsPaths(io.env);
  const database = await openAnalyticsDatabase({ paths, onWait: analyticsWaitNotice(io.stderr) });
  try {
    return await work(database.connection);
  } finally {
    await database.close();
  }
}

function statusFilter(status: string | undefined): ErrorGroupStatus | undefined {
  if (status === undefined || status === 'all') return undefined;
  if ((errorGroupStatuses as readonly string[]).includes(status)) return status as ErrorGroupStatus;
  throw new KeyscopeError(ErrorCodes.usage, `--status must be open, resolved, regressed or all (got "${status}")`);
}

/** Seconds are noise in a list of errors seen over weeks; ISO minutes sort and read well. */
const minute = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function listTable(groups: readonly ErrorGroup[]): string {
  const header = ['FINGERPRINT', 'STATUS', 'COUNT', 'FIRST SEEN', 'LAST SEEN', 'CODE', 'TYPE', 'MESSAGE'];
  const rows = groups.map((g) => [g.fingerprint, g.status, String(g.count), minute(g.firstSeen), minute(g.lastSeen), g.code ?? '-', g.errorType, g.message]);
  const widths = header.map((title, i) => (i === header.length - 1 ? 0 : Math.max(title.length, ...rows.map((row) => row[i]!.length))));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export async function errorsList(options: ErrorsListOptions, io: ErrorsIO): Promise<number> {
  const status = statusFilter(options.status);
  const groups = await withDatabase(io, (connection) => listErrorGroups(connection, status === undefined ? {} : { status }));
  if (options.json === true) {
    io.stdout.write(json(groups));
    return 0;
  }
  if (groups.length === 0) {
    io.stdout.write(status === undefined ? 'no errors recorded\n' : `no ${status} errors\n`);
    return 0;
  }
  io.stdout.write(listTable(groups));
  return 0;
}

function describeGroup(group: ErrorGroupDetail): string {
  const lines = [
    `error group ${group.fingerprint} (${group.status})`,
    `  ${group.errorType}${group.code === null ? '' : ` ${group.code}`}: ${group.message}`,
    `  OpenSSL reason: ${group.opensslReason ?? '-'}`,
    `  seen ${group.count} times, first ${minute(group.firstSeen)}, last ${minute(group.lastSeen)}`,
    `  keyscope versions: ${group.versions.join(', ')}`,
  ];
  if (group.resolvedAt !== null) lines.push(`  resolved ${minute(group.resolvedAt)} in ${group.resolvedVersion ?? '?'}`);
  lines.push('  fingerprint frames:', ...(group.frames.length === 0 ? ['    (none in keyscope)'] : group.frames.map((frame) => `    ${frame}`)));
  if (group.latestStack.length > 0) lines.push('  latest stack:', ...group.latestStack.map((frame) => `    ${frame}`));
  lines.push(`  recent occurrences (${group.occurrences.length}):`);
  for (const o of group.occurrences) {
    const versions = `keyscope ${o.keyscopeVersion}, Node ${o.nodeVersion ?? '?'}, OpenSSL ${o.opensslVersion ?? '?'}`;
    lines.push(`    ${minute(o.time)}  ${o.operation ?? '-'}${o.algorithm === null ? '' : ` ${o.algorithm}`}  (${versions})`);
  }
  return `${lines.join('\n')}\n`;
}

export async function errorsShow(fingerprint: string, options: ErrorsShowOptions, io: ErrorsIO): Promise<number> {
  const group = await withDatabase(io, (connection) => getErrorGroup(connection, fingerprint));
  io.stdout.write(options.json === true ? json(group) : describeGroup(group));
  return 0;
}

export async function errorsResolve(fingerprint: string, options: ErrorsResolveOptions, io: ErrorsIO): Promise<number> {
  const group = await withDatabase(io, (connection) =>
    resolveErrorGroup(connection, fingerprint, { version: keyscopeVersion, ...(options.now === undefined ? {} : { now: options.now }) }),
  );
  io.stdout.write(`resolved ${group.fingerprint} (${group.errorType}${group.code === null ? '' : ` ${group.code}`}); seeing it again marks it regressed\n`);
  return 0;
}
