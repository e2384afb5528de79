/**
 * Writes one whole run: its row, its cases with their parameters, summaries and counters, then every sample.
 * The caller wraps this in one transaction (see run-store.ts), so a run is in the store completely or not
 * at all, whatever happens to the process meanwhile.
 */
import { BOOLEAN, type DuckDBConnection, type DuckDBValue, DOUBLE, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';

import { type CaseResult, type RunRecord, type SampleSummary } from '../model/index.js';
import { ErrorCodes } from '../core/index.js';
import { insertRows, type Column } from './insert-rows.js';
import { appendSamples, type SampleSeries } from './sample-appender.js';
import { summaryMetrics } from './schema.js';
import { StoreError } from './store-error.js';

const column = (name: string, type: Column['type']): Column => ({ name, type });

const runColumns: Column[] = [
  column('run_key', INTEGER),
  column('id', VARCHAR),
  column('started_at', VARCHAR),
  column('ended_at', VARCHAR),
  column('started_ts', VARCHAR), // cast to TIMESTAMPTZ by the INSERT
  column('label', VARCHAR),
  column('status', VARCHAR),
  column('git_commit', VARCHAR),
  column('git_branch', VARCHAR),
  column('git_dirty', BOOLEAN),
  column('cpu_model', VARCHAR),
  column('cpu_flags', LIST(VARCHAR)),
  column('cores', INTEGER),
  column('governor', VARCHAR),
  column('boost', BOOLEAN),
  column('kernel', VARCHAR),
  column('platform', VARCHAR),
  column('arch', VARCHAR),
  column('node', VARCHAR),
  column('openssl', VARCHAR),
  column('keyscope', VARCHAR),
  column('addon_build', VARCHAR),
  column('counters_available', LIST(VARCHAR)),
  column('cycle_counter', VARCHAR),
  column('pinned_cpu', INTEGER),
  column('handicap', DOUBLE),
  column('testbed', VARCHAR),
];

const caseColumns: Column[] = [
  column('run_key', INTEGER),
  column('ordinal', INTEGER),
  column('state', VARCHAR),
  column('suite', VARCHAR),
  column('case_name', VARCHAR),
  column('implementation', VARCHAR),
  column('algorithm', VARCHAR),
  column('ns_count', INTEGER),
  column('cycles_count', INTEGER),
  column('candidates_count', INTEGER),
  column('block_samples', LIST(INTEGER)),
  column('block_cpus', LIST(INTEGER)),
  column('histogram_ns', VARCHAR),
  column('histogram_cycles', VARCHAR),
  column('precision_target', DOUBLE),
  column('precision_reached', DOUBLE),
  column('stopped_by', VARCHAR),
  column('throughput', DOUBLE),
  column('timer_ns', DOUBLE),
  column('timer_cycles', DOUBLE),
  column('timer_samples', DOUBLE),
  column('error_code', VARCHAR),
  column('error_message', VARCHAR),
  column('skip_reason', VARCHAR),
];

const parameterColumns: Column[] = [
  column('run_key', INTEGER),
  column('case_ordinal', INTEGER),
  column('ordinal', INTEGER),
  column('name', VARCHAR),
  column('text_value', VARCHAR),
  column('number_value', DOUBLE),
  column('boolean_value', BOOLEAN),
];

const summaryColumns: Column[] = [
  column('run_key', INTEGER),
  column('case_ordinal', INTEGER),
  column('metric', VARCHAR),
  ...[
    'sample_count',
    'min',
    'max',
    'mean',
    'stddev',
    'median',
    'p90',
    'p99',
    'p999',
    'mad',
    'outliers_low',
    'outliers_high',
    'median_ci_confidence',
    'median_ci_low',
    'median_ci_high',
  ].map((name) => column(name, DOUBLE)),
];

const counterColumns: Column[] = [
  column('run_key', INTEGER),
  column('case_ordinal', INTEGER),
  column('ordinal', INTEGER),
  column('name', VARCHAR),
  column('counter_group', VARCHAR),
  column('unit', VARCHAR),
  column('available', BOOLEAN),
  column('value', DOUBLE),
  column('scaled', BOOLEAN),
  column('reason', VARCHAR),
];

function runRow(runKey: number, run: RunRecord): DuckDBValue[] {
  const env = run.environment;
  return [
    runKey,
    run.id,
    run.startedAt,
    run.endedAt,
    new Date(Date.parse(run.startedAt)).toISOString(),
    run.label,
    run.status,
    run.git?.commit ?? null,
    run.git?.branch ?? null,
    run.git?.dirty ?? null,
    env.cpuModel,
    listValue(env.cpuFlags),
    env.cores,
    env.governor,
    env.boost,
    env.kernel,
    env.platform,
    env.arch,
    env.node,
    env.openssl,
    env.keyscope,
    env.addonBuild,
    listValue(env.countersAvailable),
    env.cycleCounter,
    env.pinnedCpu,
    env.handicap,
    run.testbed,
  ];
}

/** The cases row of `result`: the columns of its state are set, every other column is NULL. */
function caseRow(runKey: number, ordinal: number, result: CaseResult): DuckDBValue[] {
  const { key } = result;
  const values: Record<string, DuckDBValue> = {
    run_key: runKey,
    ordinal,
    state: result.state,
    suite: key.suite,
    case_name: key.case,
    implementation: key.implementation,
    algorithm: key.algorithm,
  };
  switch (result.state) {
    case 'completed': {
      const { samples, blocks, histograms, precision, timer } = result;
      Object.assign(values, {
        ns_count: samples.ns.length,
        cycles_count: samples.cycles?.length ?? null,
        candidates_count: samples.candidates?.length ?? null,
        // Always written, even for one block on the run's pinned CPU: NULL is kept for cases stored before blocks.
        block_samples: listValue(blocks.map((b) => b.samples)),
        block_cpus: listValue(blocks.map((b) => b.cpu)),
        histogram_ns: histograms.ns,
        histogram_cycles: histograms.cycles,
        precision_target: precision.target,
        precision_reached: precision.reached,
        stopped_by: precision.stoppedBy,
        throughput: result.throughput,
        timer_ns: timer.ns,
        timer_cycles: timer.cycles,
        timer_samples: timer.samples,
      });
      break;
    }
    case 'errored':
      Object.assign(values, { error_code: result.error.code, error_message: result.error.message });
      break;
    case 'skipped':
      values.skip_reason = result.reason;
      break;
  }
  return caseColumns.map((c) => values[c.name] ?? null);
}

function summaryRow(runKey: number, ordinal: number, metric: string, s: SampleSummary): DuckDBValue[] {
  return [
    runKey,
    ordinal,
    metric,
    s.count,
    s.min,
    s.max,
    s.mean,
    s.stddev,
    s.median,
    s.p90,
    s.p99,
    s.p999,
    s.mad,
    s.outliers.low,
    s.outliers.high,
    s.medianInterval.confidence,
    s.medianInterval.low,
    s.medianInterval.high,
  ];
}

/** Writes `run` (already validated) inside the caller's transaction. */
export async function writeRun(connection: DuckDBConnection, path: string, run: RunRecord): Promise<void> {
  const existing = await connection.runAndReadAll('SELECT 1 FROM runs WHERE id = $1', [run.id], [VARCHAR]);
  if (existing.currentRowCount > 0) {
    throw new StoreError(ErrorCodes.runExists, `run ${run.id} is already in keyscope store ${path}; delete it first to store it again`);
  }
  const next = (await connection.runAndReadAll('SELECT coalesce(max(run_key), 0) + 1 AS run_key FROM runs')).getRowObjectsJS()[0];
  const runKey = Number(next?.run_key);

  const cases: DuckDBValue[][] = [];
  const parameters: DuckDBValue[][] = [];
  const summaries: DuckDBValue[][] = [];
  const counters: DuckDBValue[][] = [];
  const series: SampleSeries[] = [];
  run.cases.forEach((result, ordinal) => {
    cases.push(caseRow(runKey, ordinal, result));
    Object.entries(result.parameters).forEach(([name, value], index) => {
      parameters.push([
        runKey,
        ordinal,
        index,
        name,
        typeof value === 'string' ? value : null,
        typeof value === 'number' ? value : null,
        typeof value === 'boolean' ? value : null,
      ]);
    });
    if (result.state !== 'completed') return;
    for (const [field, metric] of Object.entries(summaryMetrics) as [keyof typeof summaryMetrics, string][]) {
      const summary = result.summary[field];
      if (summary) summaries.push(summaryRow(runKey, ordinal, metric, summary));
    }
    Object.entries(result.counters).forEach(([name, value], index) => {
      counters.push([
        runKey,
        ordinal,
        index,
        name,
        value.group,
        value.unit,
        value.available,
        value.available ? value.value : null,
        value.available ? value.scaled : null,
        value.available ? null : value.reason,
      ]);
    });
    series.push({ caseOrdinal: ordinal, ...result.samples });
  });

  await insertRows(connection, 'runs', runColumns, [runRow(runKey, run)]);
  await insertRows(connection, 'cases', caseColumns, cases);
  await insertRows(connection, 'case_parameters', parameterColumns, parameters);
  await insertRows(connection, 'summaries', summaryColumns, summaries);
  await insertRows(connection, 'counters', counterColumns, counters);
  await appendSamples(connection, runKey, series);
}
