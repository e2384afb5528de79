/**
 * Run listings (a run without its cases) for `runs list`, and the selection of runs by a RunFilter that
 * listings and run overviews (run-overviews.ts) share, so both find the same runs in the same order.
 */
import { type DuckDBConnection, type DuckDBType, type DuckDBValue, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';

import { type RunListing, type RunStatus } from '../model/index.js';
import { legacyTestbed } from './legacy-runs.js';
import { environmentColumns, RunRows } from './run-rows.js';

export interface RunFilter {
  /** Runs with exactly this label; null for runs without one. */
  label?: string | null;
  status?: RunStatus;
  /** Runs measured on this git branch. */
  branch?: string;
  /** Runs on exactly this testbed (named, or derived from the environment; runs stored before testbeds have the derived one). */
  testbed?: string;
  /** Runs whose id starts with this (at least 4 characters), so that people can type a short id. */
  idPrefix?: string;
  /** Runs that started before this moment (ISO 8601): a history before its candidate. */
  startedBefore?: string;
  /** At most this many runs (the newest). */
  limit?: number;
}

/** The clauses that select a filter's runs from `runs r`, newest first, with the values they bind. */
export interface RunSelection {
  /** `WHERE ...`, or '' for every run. */
  where: string;
  /** ORDER BY (newest first) and the LIMIT, if any. */
  orderAndLimit: string;
  values: DuckDBValue[];
  types: DuckDBType[];
}

/**
 * The run_keys of runs stored before testbeds (testbed NULL) whose derived testbed is `testbed`. SQL cannot
 * derive a testbed (a hash of the environment, legacy-runs.ts), so their environments are read and derived here;
 * it reads only those runs, a set that stopped growing when the store reached schema version 5.
 */
async function legacyRunKeysOn(connection: DuckDBConnection, rows: RunRows, testbed: string): Promise<number[]> {
  const legacy = (
    await connection.runAndReadAll(`SELECT r.run_key, ${environmentColumns('r')} FROM runs r WHERE r.testbed IS NULL`)
  ).getRowObjectsJS();
  return legacy.filter((row) => legacyTestbed(rows.environment(row)) === testbed).map((row) => rows.runs.number(row, 'run_key'));
}

export async function selectRuns(connection: DuckDBConnection, rows: RunRows, filter: RunFilter): Promise<RunSelection> {
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
  if (filter.testbed !== undefined) {
    const legacy = await legacyRunKeysOn(connection, rows, filter.testbed);
    const named = `r.testbed = ${bind(filter.testbed, VARCHAR)}`;
    where.push(legacy.length === 0 ? named : `(${named} OR list_contains(${bind(listValue(legacy), LIST(INTEGER))}, r.run_key))`);
  }
  if (filter.idPrefix !== undefined) where.push(`starts_with(r.id, ${bind(filter.idPrefix, VARCHAR)})`);
  if (filter.startedBefore !== undefined) where.push(`r.started_ts < ${bind(filter.startedBefore, VARCHAR)}::TIMESTAMPTZ`);
  const limit = filter.limit === undefined ? '' : ` LIMIT ${bind(filter.limit, INTEGER)}`;
  return {
    where: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    // Newest first by start time; run_key (the order of saving) breaks ties between runs started together.
    orderAndLimit: `ORDER BY r.started_ts DESC, r.run_key DESC${limit}`,
    values,
    types,
  };
}

export async function listRunListings(connection: DuckDBConnection, path: string, filter: RunFilter = {}): Promise<RunListing[]> {
  const rows = new RunRows(path);
  const selection = await selectRuns(connection, rows, filter);
  // The environment is read for the testbed of runs stored before testbeds, which is derived from it.
  const sql = `
    SELECT r.id, r.started_at, r.ended_at, r.label, r.status, r.git_commit, r.git_branch, r.testbed, ${environmentColumns('r')},
           coalesce(c.cases, 0) AS cases, coalesce(c.samples, 0) AS samples
      FROM runs r
      LEFT JOIN (SELECT run_key, count(*)::DOUBLE AS cases, coalesce(sum(ns_count), 0)::DOUBLE AS samples
                   FROM cases GROUP BY run_key) c ON c.run_key = r.run_key
     ${selection.where}
     ${selection.orderAndLimit}`;
  const found = (await connection.runAndReadAll(sql, selection.values, selection.types)).getRowObjectsJS();
  const r = rows.runs;
  return found.map((row) => ({
    id: r.text(row, 'id'),
    startedAt: r.text(row, 'started_at'),
    endedAt: r.text(row, 'ended_at'),
    label: r.optionalText(row, 'label'),
    status: r.choice(row, 'status', ['complete', 'aborted'] as const),
    commit: r.optionalText(row, 'git_commit'),
    branch: r.optionalText(row, 'git_branch'),
    testbed: rows.testbed(row),
    cases: r.number(row, 'cases'),
    samples: r.number(row, 'samples'),
  }));
}
