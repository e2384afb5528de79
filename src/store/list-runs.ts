/** Run listings (a run without its cases) for `runs list` and for finding runs by label or status. */
import { type DuckDBConnection, type DuckDBType, type DuckDBValue, INTEGER, VARCHAR } from '@duckdb/node-api';

import { type RunListing, type RunStatus } from '../model/index.js';
import { RowReader } from './row-fields.js';

export interface RunFilter {
  /** Runs with exactly this label; null for runs without one. */
  label?: string | null;
  status?: RunStatus;
  /** Runs measured on this git branch. */
  branch?: string;
  /** Runs whose id starts with this (at least 4 characters), so that people can type a short id. */
  idPrefix?: string;
  /** At most this many runs (the newest). */
  limit?: number;
}

export async function listRunListings(connection: DuckDBConnection, path: string, filter: RunFilter = {}): Promise<RunListing[]> {
  const where: string[] = [];
  const values: DuckDBValue[] = [];
  const types: DuckDBType[] = [];
  const bind = (value: DuckDBValue, type: DuckDBType) => {
    values.push(value);
    types.push(type);
    return `$${values.length}`;
  };
  if (filter.label === null) where.push('r.label IS NULL');
  else if (filter.label !== undefined) where.push(`r.label = ${bind(filter.label, VARCHAR)}`);
  if (filter.status !== undefined) where.push(`r.status = ${bind(filter.status, VARCHAR)}`);
  if (filter.branch !== undefined) where.push(`r.git_branch = ${bind(filter.branch, VARCHAR)}`);
  if (filter.idPrefix !== undefined) where.push(`starts_with(r.id, ${bind(filter.idPrefix, VARCHAR)})`);
  const limit = filter.limit === undefined ? '' : `LIMIT ${bind(filter.limit, INTEGER)}`;
  // Newest first by start time; run_key (the order of saving) breaks ties between runs started together.
  const sql = `
    SELECT r.id, r.started_at, r.ended_at, r.label, r.status, r.git_commit, r.git_branch,
           coalesce(c.cases, 0) AS cases, coalesce(c.samples, 0) AS samples
      FROM runs r
      LEFT JOIN (SELECT run_key, count(*)::DOUBLE AS cases, coalesce(sum(ns_count), 0)::DOUBLE AS samples
                   FROM cases GROUP BY run_key) c ON c.run_key = r.run_key
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY r.started_ts DESC, r.run_key DESC
     ${limit}`;
  const rows = (await connection.runAndReadAll(sql, values, types)).getRowObjectsJS();
  const r = new RowReader(path, 'runs');
  return rows.map((row) => ({
    id: r.text(row, 'id'),
    startedAt: r.text(row, 'started_at'),
    endedAt: r.text(row, 'ended_at'),
    label: r.optionalText(row, 'label'),
    status: r.choice(row, 'status', ['complete', 'aborted'] as const),
    commit: r.optionalText(row, 'git_commit'),
    branch: r.optionalText(row, 'git_branch'),
    cases: r.number(row, 'cases'),
    samples: r.number(row, 'samples'),
  }));
}
