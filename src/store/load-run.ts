/**
 * Reads one run back into the RunRecord that was saved: the run row, its cases in order with their
 * parameters, summaries and counters (each in the order they were given), and every sample. The result is
 * checked against the same schema saveRun checks, so what comes out is a RunRecord or a KS_STORE_CORRUPT.
 * The run row, case keys, parameters and summaries are decoded as every reader decodes them (run-rows.ts), a
 * run stored before a field existed getting what legacy-runs.ts gives; counters, blocks and samples only a
 * whole run has are decoded here.
 */
import { type DuckDBConnection, INTEGER, VARCHAR } from '@duckdb/node-api';

import { type CaseResult, type CompletedCase, type RunRecord } from '../model/index.js';
import type { CaseBlock } from '../model/types.js';
import { type Counters, type CounterValue } from '../core/index.js';
import { singleBlock } from './legacy-runs.js';
import { type Row, RowReader } from './row-fields.js';
import { caseHeadColumns, groupRows, headColumns, RunRows } from './run-rows.js';
import { describeIssue, runRecordSchema } from './run-schema.js';
import { SampleSink, type SeriesLengths } from './sample-reader.js';

async function rowsOf(connection: DuckDBConnection, sql: string, runKey: number): Promise<Row[]> {
  return (await connection.runAndReadAll(sql, [runKey], [INTEGER])).getRowObjectsJS();
}

/** Groups rows by case_ordinal, keeping their order. */
function byCase(rows: Row[]): Map<number, Row[]> {
  return groupRows(rows, (row) => Number(row.case_ordinal));
}

class RunReader {
  private readonly rows: RunRows;
  private readonly counters: RowReader;

  constructor(
    private readonly connection: DuckDBConnection,
    path: string,
  ) {
    this.rows = new RunRows(path);
    this.counters = new RowReader(path, 'counters');
  }

  private countersOf(rows: Row[] = []): Counters {
    const r = this.counters;
    const counters: Record<string, CounterValue> = {};
    for (const row of rows) {
      const common = {
        group: r.choice(row, 'counter_group', ['hardware', 'software', 'rusage', 'memory'] as const),
        unit: r.choice(row, 'unit', ['count', 'ns', 'bytes'] as const),
      };
      counters[r.text(row, 'name')] = r.boolean(row, 'available')
        ? { ...common, available: true, value: r.number(row, 'value'), scaled: r.boolean(row, 'scaled') }
        : { ...common, available: false, reason: r.text(row, 'reason') };
    }
    return counters;
  }

  /**
   * The blocks of a completed case. Whether they add up to its samples is left to the run schema's check at the
   * end of read(), which names the case.
   */
  private blocksOf(row: Row, samples: number, pinnedCpu: number | null, where: string): CaseBlock[] {
    const counts = this.rows.cases.optionalNumberList(row, 'block_samples');
    const cpus = this.rows.cases.optionalNullableNumberList(row, 'block_cpus');
    // Both NULL: a case stored before schema version 4, which was sampled in one stretch on the run's CPU.
    if (counts === null && cpus === null) return singleBlock(samples, pinnedCpu);
    if (counts === null || cpus === null || counts.length !== cpus.length) {
      throw this.rows.corrupt(`${where} has ${counts?.length ?? 'no'} block sample counts but ${cpus?.length ?? 'no'} block CPUs`);
    }
    return counts.map((count, i) => ({ samples: count, cpu: cpus[i] ?? null }));
  }

  async read(id: string, withCycles: boolean): Promise<RunRecord | undefined> {
    const runRows = (
      await this.connection.runAndReadAll(`SELECT r.run_key, ${headColumns('r')} FROM runs r WHERE r.id = $1`, [id], [VARCHAR])
    ).getRowObjectsJS();
    const runRow = runRows[0];
    if (!runRow) return undefined;
    const head = this.rows.head(runRow);
    const runKey = this.rows.runs.number(runRow, 'run_key');
    const { pinnedCpu } = head.environment;

    const caseRows = await rowsOf(
      this.connection,
      `SELECT ${caseHeadColumns}, ns_count, cycles_count, candidates_count,
              block_samples, block_cpus, histogram_ns, histogram_cycles, precision_target, precision_reached, stopped_by, throughput,
              timer_ns, timer_cycles, timer_samples, error_code, error_message, skip_reason
         FROM cases WHERE run_key = $1 ORDER BY ordinal`,
      runKey,
    );
    const parameterRows = byCase(await rowsOf(this.connection, 'SELECT * FROM case_parameters WHERE run_key = $1 ORDER BY case_ordinal, ordinal', runKey));
    const summaryRows = byCase(await rowsOf(this.connection, 'SELECT * FROM summaries WHERE run_key = $1', runKey));
    const counterRows = byCase(await rowsOf(this.connection, 'SELECT * FROM counters WHERE run_key = $1 ORDER BY case_ordinal, ordinal', runKey));

    const c = this.rows.cases;
    const lengths: SeriesLengths[] = caseRows
      .filter((row) => row.state === 'completed')
      .map((row) => ({
        caseOrdinal: c.number(row, 'ordinal'),
        ns: c.number(row, 'ns_count'),
        cycles: withCycles ? c.optionalNumber(row, 'cycles_count') : null,
        candidates: c.optionalNumber(row, 'candidates_count'),
      }));
    const sink = new SampleSink(lengths, (reason) => this.rows.corrupt(reason));
    if (lengths.length > 0) {
      const result = await this.connection.stream(
        `SELECT case_ordinal, seq, ns, ${withCycles ? 'cycles' : 'NULL::DOUBLE AS cycles'}, candidates FROM samples WHERE run_key = $1`,
        [runKey],
        [INTEGER],
      );
      await sink.consume(result);
    }

    const cases = caseRows.map((row, index): CaseResult => {
      const ordinal = this.rows.caseOrdinal(row, index, id);
      const key = this.rows.caseKey(row);
      const parameters = this.rows.parameters(parameterRows.get(ordinal));
      const state = this.rows.caseState(row);
      if (state === 'errored') {
        return { state, key, parameters, error: { code: c.text(row, 'error_code'), message: c.text(row, 'error_message') } };
      }
      if (state === 'skipped') return { state, key, parameters, reason: c.text(row, 'skip_reason') };
      const where = `case ${ordinal} of run ${id}`;
      const summary = this.rows.summaries(summaryRows.get(ordinal), where);
      const samples = sink.series(ordinal);
      const completed: CompletedCase = {
        state,
        key,
        parameters,
        samples,
        blocks: this.blocksOf(row, samples.ns.length, pinnedCpu, where),
        summary,
        histograms: { ns: c.text(row, 'histogram_ns'), cycles: c.optionalText(row, 'histogram_cycles') },
        precision: {
          target: c.number(row, 'precision_target'),
          reached: c.number(row, 'precision_reached'),
          stoppedBy: c.choice(row, 'stopped_by', ['precision', 'budget', 'iterations'] as const),
        },
        throughput: c.number(row, 'throughput'),
        counters: this.countersOf(counterRows.get(ordinal)),
        timer: { ns: c.number(row, 'timer_ns'), cycles: c.number(row, 'timer_cycles'), samples: c.number(row, 'timer_samples') },
      };
      return completed;
    });

    const run: RunRecord = { ...head, cases };
    const checked = runRecordSchema.safeParse(run);
    if (!checked.success) throw this.rows.corrupt(`run ${id} does not load as a valid run: ${describeIssue(checked.error, 'run')}`);
    return run;
  }
}

export interface LoadRunOptions {
  /** Load the cycle series (default true). Comparisons and reports read only ns and candidates: skipping cycles saves a third of a large run's load. */
  cycles?: boolean;
}

export function loadRun(connection: DuckDBConnection, path: string, id: string, options: LoadRunOptions = {}): Promise<RunRecord | undefined> {
  return new RunReader(connection, path).read(id, options.cycles ?? true);
}
