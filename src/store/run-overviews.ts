/**
 * Run overviews: the runs a RunFilter selects (as findRuns selects them, newest first), each with its own fields
 * and its cases' keys, parameters, summaries and the median of each block, but no samples or counters. A history
 * of many runs reads these: a run's location (compare/run-location.ts) needs only its blocks' medians, which
 * DuckDB computes next to the samples, so no sample crosses into JavaScript.
 *
 * Set-based, so the cost does not grow with round trips: one query for the runs, then one each for the cases,
 * parameters, summaries and block medians of all of them at once. Rows are decoded as loadRun decodes them (run-rows.ts), so a
 * run's overview says what its getRun says.
 */
import { type DuckDBConnection, type DuckDBValue, INTEGER, LIST, listValue } from '@duckdb/node-api';

import { type BlockMedian, type CaseOverview, type RunOverview } from '../model/index.js';
import { type RunFilter, selectRuns } from './list-runs.js';
import { type Row } from './row-fields.js';
import { caseHeadColumns, groupRows, headColumns, RunRows } from './run-rows.js';
import { describeIssue, runHeadSchema } from './run-schema.js';

/** A key for the rows of one case of one run. */
const caseKeyOf = (row: Row) => `${String(row.run_key)}/${String(row.case_ordinal)}`;

/** Rows of `table` (its `columns`, which must include run_key) for the runs in `runKeys`, in `order`. */
async function rowsOfRuns(connection: DuckDBConnection, table: string, columns: string, runKeys: DuckDBValue, order: string): Promise<Row[]> {
  // A semi-join on the bound keys: one pass over the table for every selected run.
  const sql = `SELECT ${columns} FROM ${table} WHERE run_key IN (SELECT unnest($1)) ORDER BY ${order}`;
  return (await connection.runAndReadAll(sql, [runKeys], [LIST(INTEGER)])).getRowObjectsJS();
}

/**
 * Each block's median time (and, where every sample counted prime candidates, its median time per candidate)
 * for the completed cases of the runs in $1. A block is the seq range [start, start + samples) of its case's
 * samples (seq counts from 0 in sampling order), start being the samples of the blocks before it. A case stored
 * before blocks existed (block lists NULL) is one block of all its samples on the run's pinned CPU, as
 * legacy-runs.ts says. A block without samples has no rows and so no median, as compare's blockLocations
 * leaves it out.
 */
const blockMediansSql = `
  WITH listed AS (
    SELECT c.run_key, c.ordinal AS case_ordinal,
      coalesce(c.block_samples, [c.ns_count]) AS counts,
      coalesce(c.block_cpus, [r.pinned_cpu]) AS cpus
    FROM cases c JOIN runs r USING (run_key)
    WHERE c.state = 'completed' AND c.run_key IN (SELECT unnest($1))
  ), blocks AS (
    SELECT run_key, case_ordinal, unnest(range(len(counts))) AS block, unnest(counts) AS samples, unnest(cpus) AS cpu
    FROM listed
  ), spans AS (
    SELECT *, sum(samples) OVER (PARTITION BY run_key, case_ordinal ORDER BY block) - samples AS start FROM blocks
  )
  SELECT b.run_key, b.case_ordinal, b.block, any_value(b.cpu) AS cpu, median(s.ns) AS median,
    CASE WHEN count(s.candidates) = count(*) AND min(s.candidates) > 0 THEN median(s.ns / s.candidates) END AS median_per_candidate
  FROM spans b JOIN samples s
    ON s.run_key = b.run_key AND s.case_ordinal = b.case_ordinal AND s.seq >= b.start AND s.seq < b.start + b.samples
  GROUP BY b.run_key, b.case_ordinal, b.block
  ORDER BY b.run_key, b.case_ordinal, b.block`;

class OverviewReader {
  private readonly rows: RunRows;

  constructor(
    private readonly connection: DuckDBConnection,
    path: string,
  ) {
    this.rows = new RunRows(path);
  }

  private async runRows(filter: RunFilter): Promise<Row[]> {
    const selection = await selectRuns(this.connection, this.rows, filter);
    const sql = `SELECT r.run_key, ${headColumns('r')} FROM runs r ${selection.where} ${selection.orderAndLimit}`;
    return (await this.connection.runAndReadAll(sql, selection.values, selection.types)).getRowObjectsJS();
  }

  async read(filter: RunFilter): Promise<RunOverview[]> {
    const runRows = await this.runRows(filter);
    if (runRows.length === 0) return [];
    const runKeys = listValue(runRows.map((row) => this.rows.runs.number(row, 'run_key')));
    const caseRows = groupRows(await rowsOfRuns(this.connection, 'cases', `run_key, ${caseHeadColumns}`, runKeys, 'run_key, ordinal'), (row) => Number(row.run_key));
    const parameterRows = groupRows(
      await rowsOfRuns(this.connection, 'case_parameters', 'run_key, case_ordinal, name, text_value, number_value, boolean_value', runKeys, 'run_key, case_ordinal, ordinal'),
      caseKeyOf,
    );
    const summaryRows = groupRows(await rowsOfRuns(this.connection, 'summaries', '*', runKeys, 'run_key, case_ordinal'), caseKeyOf);
    const blockRows = groupRows((await this.connection.runAndReadAll(blockMediansSql, [runKeys], [LIST(INTEGER)])).getRowObjectsJS(), caseKeyOf);

    return runRows.map((runRow) => {
      const head = this.rows.head(runRow);
      // Checked as loadRun checks a whole run, so an overview is of a valid run or a KS_STORE_CORRUPT.
      const checked = runHeadSchema.safeParse(head);
      if (!checked.success) throw this.rows.corrupt(`run ${head.id} does not load as a valid run: ${describeIssue(checked.error, 'run')}`);
      const runKey = this.rows.runs.number(runRow, 'run_key');
      const cases = (caseRows.get(runKey) ?? []).map((row, index): CaseOverview => {
        const ordinal = this.rows.caseOrdinal(row, index, head.id);
        const state = this.rows.caseState(row);
        const rowsOfCase = (rows: Map<string, Row[]>) => rows.get(`${runKey}/${ordinal}`);
        return {
          state,
          key: this.rows.caseKey(row),
          parameters: this.rows.parameters(rowsOfCase(parameterRows)),
          summary: state === 'completed' ? this.rows.summaries(rowsOfCase(summaryRows), `case ${ordinal} of run ${head.id}`) : null,
          blockMedians: (rowsOfCase(blockRows) ?? []).map((row): BlockMedian => ({
            median: this.rows.cases.number(row, 'median'),
            medianPerCandidate: this.rows.cases.optionalNumber(row, 'median_per_candidate'),
            cpu: this.rows.cases.optionalNumber(row, 'cpu'),
          })),
        };
      });
      return { ...head, cases };
    });
  }
}

export function readRunOverviews(connection: DuckDBConnection, path: string, filter: RunFilter = {}): Promise<RunOverview[]> {
  return new OverviewReader(connection, path).read(filter);
}
