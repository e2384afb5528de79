/**
 * Reads one run back into the RunRecord that was saved: the run row, its cases in order with their
 * parameters, summaries and counters (each in the order they were given), and every sample. The result is
 * checked against the same schema saveRun checks, so what comes out is a RunRecord or a KS_STORE_CORRUPT.
 * A run stored before schema version 4 has no blocks or handicap stored: it loads with those legacy-runs.ts gives.
 */
import { type DuckDBConnection, INTEGER, VARCHAR } from '@duckdb/node-api';

import { type CaseParameters,
  type CaseResult,
  type CompletedCase,
  type RunRecord,
  type SampleSummary, } from '../model/index.js';
import type { CaseBlock } from '../model/types.js';
import { type Counters, type CounterValue, ErrorCodes } from '../core/index.js';
import { singleBlock } from './legacy-runs.js';
import { type Row, RowReader } from './row-fields.js';
import { describeIssue, runRecordSchema } from './run-schema.js';
import { SampleSink, type SeriesLengths } from './sample-reader.js';
import { summaryMetrics } from './schema.js';
import { StoreError } from './store-error.js';

async function rowsOf(connection: DuckDBConnection, sql: string, runKey: number): Promise<Row[]> {
  return (await connection.runAndReadAll(sql, [runKey], [INTEGER])).getRowObjectsJS();
}

/** Groups rows by case_ordinal, keeping their order. */
function byCase(rows: Row[]): Map<number, Row[]> {
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    const ordinal = Number(row.case_ordinal);
    const group = groups.get(ordinal) ?? [];
    group.push(row);
    groups.set(ordinal, group);
  }
  return groups;
}

class RunReader {
  private readonly runs: RowReader;
  private readonly cases: RowReader;
  private readonly parameters: RowReader;
  private readonly summaries: RowReader;
  private readonly counters: RowReader;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly path: string,
  ) {
    this.runs = new RowReader(path, 'runs');
    this.cases = new RowReader(path, 'cases');
    this.parameters = new RowReader(path, 'case_parameters');
    this.summaries = new RowReader(path, 'summaries');
    this.counters = new RowReader(path, 'counters');
  }

  private corrupt(reason: string): StoreError {
    return new StoreError(ErrorCodes.storeCorrupt, `keyscope store ${this.path} is corrupt (${reason})`);
  }

  private parametersOf(rows: Row[] = []): CaseParameters {
    const r = this.parameters;
    const parameters: CaseParameters = {};
    for (const row of rows) {
      const name = r.text(row, 'name');
      if (row.text_value !== null) parameters[name] = r.text(row, 'text_value');
      else if (row.number_value !== null) parameters[name] = r.number(row, 'number_value');
      else parameters[name] = r.boolean(row, 'boolean_value');
    }
    return parameters;
  }

  private summaryOf(row: Row | undefined): SampleSummary | null {
    if (!row) return null;
    const n = (column: string) => this.summaries.number(row, column);
    return {
      count: n('sample_count'),
      min: n('min'),
      max: n('max'),
      mean: n('mean'),
      stddev: n('stddev'),
      median: n('median'),
      p90: n('p90'),
      p99: n('p99'),
      p999: n('p999'),
      mad: n('mad'),
      outliers: { low: n('outliers_low'), high: n('outliers_high') },
      medianInterval: { confidence: n('median_ci_confidence'), low: n('median_ci_low'), high: n('median_ci_high') },
    };
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
    const counts = this.cases.optionalNumberList(row, 'block_samples');
    const cpus = this.cases.optionalNullableNumberList(row, 'block_cpus');
    // Both NULL: a case stored before schema version 4, which was sampled in one stretch on the run's CPU.
    if (counts === null && cpus === null) return singleBlock(samples, pinnedCpu);
    if (counts === null || cpus === null || counts.length !== cpus.length) {
      throw this.corrupt(`${where} has ${counts?.length ?? 'no'} block sample counts but ${cpus?.length ?? 'no'} block CPUs`);
    }
    return counts.map((count, i) => ({ samples: count, cpu: cpus[i] ?? null }));
  }

  async read(id: string, withCycles: boolean): Promise<RunRecord | undefined> {
    const runRows = (
      await this.connection.runAndReadAll(
        `SELECT run_key, id, started_at, ended_at, label, status, git_commit, git_branch, git_dirty, cpu_model, cpu_flags,
                cores, governor, boost, kernel, platform, arch, node, openssl, keyscope, addon_build, counters_available,
                cycle_counter, pinned_cpu, handicap
           FROM runs WHERE id = $1`,
        [id],
        [VARCHAR],
      )
    ).getRowObjectsJS();
    const runRow = runRows[0];
    if (!runRow) return undefined;
    const r = this.runs;
    const runKey = r.number(runRow, 'run_key');
    const pinnedCpu = r.optionalNumber(runRow, 'pinned_cpu');

    const caseRows = await rowsOf(
      this.connection,
      `SELECT ordinal, state, suite, case_name, implementation, algorithm, ns_count, cycles_count, candidates_count,
              block_samples, block_cpus, histogram_ns, histogram_cycles, precision_target, precision_reached, stopped_by, throughput,
              timer_ns, timer_cycles, timer_samples, error_code, error_message, skip_reason
         FROM cases WHERE run_key = $1 ORDER BY ordinal`,
      runKey,
    );
    const parameterRows = byCase(await rowsOf(this.connection, 'SELECT * FROM case_parameters WHERE run_key = $1 ORDER BY case_ordinal, ordinal', runKey));
    const summaryRows = byCase(await rowsOf(this.connection, 'SELECT * FROM summaries WHERE run_key = $1', runKey));
    const counterRows = byCase(await rowsOf(this.connection, 'SELECT * FROM counters WHERE run_key = $1 ORDER BY case_ordinal, ordinal', runKey));

    const c = this.cases;
    const lengths: SeriesLengths[] = caseRows
      .filter((row) => row.state === 'completed')
      .map((row) => ({
        caseOrdinal: c.number(row, 'ordinal'),
        ns: c.number(row, 'ns_count'),
        cycles: withCycles ? c.optionalNumber(row, 'cycles_count') : null,
        candidates: c.optionalNumber(row, 'candidates_count'),
      }));
    const sink = new SampleSink(lengths, (reason) => this.corrupt(reason));
    if (lengths.length > 0) {
      const result = await this.connection.stream(
        `SELECT case_ordinal, seq, ns, ${withCycles ? 'cycles' : 'NULL::DOUBLE AS cycles'}, candidates FROM samples WHERE run_key = $1`,
        [runKey],
        [INTEGER],
      );
      await sink.consume(result);
    }

    const cases = caseRows.map((row, index): CaseResult => {
      const ordinal = c.number(row, 'ordinal');
      if (ordinal !== index) throw this.corrupt(`run ${id} has no case ${index}`);
      const key = {
        suite: c.text(row, 'suite'),
        case: c.text(row, 'case_name'),
        implementation: c.text(row, 'implementation'),
        algorithm: c.text(row, 'algorithm'),
      };
      const parameters = this.parametersOf(parameterRows.get(ordinal));
      const state = c.choice(row, 'state', ['completed', 'errored', 'skipped'] as const);
      if (state === 'errored') {
        return { state, key, parameters, error: { code: c.text(row, 'error_code'), message: c.text(row, 'error_message') } };
      }
      if (state === 'skipped') return { state, key, parameters, reason: c.text(row, 'skip_reason') };
      const summaries = summaryRows.get(ordinal) ?? [];
      const metric = (name: string) => summaries.find((s) => s.metric === name);
      const nsSummary = this.summaryOf(metric(summaryMetrics.ns));
      if (!nsSummary) throw this.corrupt(`case ${ordinal} of run ${id} has no ns summary`);
      const samples = sink.series(ordinal);
      const completed: CompletedCase = {
        state,
        key,
        parameters,
        samples,
        blocks: this.blocksOf(row, samples.ns.length, pinnedCpu, `case ${ordinal} of run ${id}`),
        summary: {
          ns: nsSummary,
          cycles: this.summaryOf(metric(summaryMetrics.cycles)),
          nsPerCandidate: this.summaryOf(metric(summaryMetrics.nsPerCandidate)),
        },
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

    const gitCommit = r.optionalText(runRow, 'git_commit');
    const run: RunRecord = {
      id: r.text(runRow, 'id'),
      startedAt: r.text(runRow, 'started_at'),
      endedAt: r.text(runRow, 'ended_at'),
      label: r.optionalText(runRow, 'label'),
      status: r.choice(runRow, 'status', ['complete', 'aborted'] as const),
      git:
        gitCommit === null
          ? null
          : { commit: gitCommit, branch: r.optionalText(runRow, 'git_branch'), dirty: r.boolean(runRow, 'git_dirty') },
      environment: {
        cpuModel: r.text(runRow, 'cpu_model'),
        cpuFlags: r.textList(runRow, 'cpu_flags'),
        cores: r.number(runRow, 'cores'),
        governor: r.optionalText(runRow, 'governor'),
        boost: r.optionalBoolean(runRow, 'boost'),
        kernel: r.text(runRow, 'kernel'),
        platform: r.text(runRow, 'platform'),
        arch: r.text(runRow, 'arch'),
        node: r.text(runRow, 'node'),
        openssl: r.text(runRow, 'openssl'),
        keyscope: r.text(runRow, 'keyscope'),
        addonBuild: r.choice(runRow, 'addon_build', ['release', 'debug', 'sanitizer', 'prebuild'] as const),
        countersAvailable: r.textList(runRow, 'counters_available'),
        cycleCounter: r.optionalText(runRow, 'cycle_counter'),
        pinnedCpu,
        // NULL for an honest run, and for every run stored before schema version 4.
        handicap: r.optionalNumber(runRow, 'handicap'),
      },
      cases,
    };
    const checked = runRecordSchema.safeParse(run);
    if (!checked.success) throw this.corrupt(`run ${id} does not load as a valid run: ${describeIssue(checked.error, 'run')}`);
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
