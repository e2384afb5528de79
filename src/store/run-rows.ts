/**
 * The rows of the runs, cases, case_parameters and summaries tables decoded into the run model, in one place
 * for every reader: a whole run (load-run.ts), run listings (list-runs.ts) and run overviews (run-overviews.ts).
 * Each value is typed as it is read (row-fields.ts), and a column an older schema left NULL gets its meaning
 * from legacy-runs.ts here, so that every reader gives an old run the same fields.
 */
import {
  type CaseKey,
  type CaseParameters,
  type CaseResult,
  type CompletedCase,
  type EnvironmentFingerprint,
  type RunRecord,
  type SampleSummary,
} from '../model/index.js';
import { ErrorCodes } from '../core/index.js';
import { legacyTestbed } from './legacy-runs.js';
import { type Row, RowReader } from './row-fields.js';
import { summaryMetrics } from './schema.js';
import { StoreError } from './store-error.js';

/** A run's own fields without its cases, as RunRows.head decodes them. */
export type RunHead = Omit<RunRecord, 'cases'>;

const environmentColumnNames = [
  'cpu_model',
  'cpu_flags',
  'cores',
  'governor',
  'boost',
  'kernel',
  'platform',
  'arch',
  'node',
  'openssl',
  'keyscope',
  'addon_build',
  'counters_available',
  'cycle_counter',
  'pinned_cpu',
  'handicap',
] as const;

const headColumnNames = ['id', 'started_at', 'ended_at', 'label', 'status', 'git_commit', 'git_branch', 'git_dirty', 'testbed', ...environmentColumnNames];

const qualified = (alias: string, names: readonly string[]) => names.map((name) => `${alias}.${name}`).join(', ');

/** The SELECT list RunRows.environment reads, from the runs table as `alias`. */
export function environmentColumns(alias: string): string {
  return qualified(alias, environmentColumnNames);
}

/** The SELECT list RunRows.head (and RunRows.testbed) reads, from the runs table as `alias`. */
export function headColumns(alias: string): string {
  return qualified(alias, headColumnNames);
}

/** The SELECT list of the cases table RunRows.caseKey and caseState read (with the ordinal, to check the order). */
export const caseHeadColumns = 'ordinal, state, suite, case_name, implementation, algorithm';

/** Groups rows by `keyOf`, keeping their order. */
export function groupRows<K>(rows: readonly Row[], keyOf: (row: Row) => K): Map<K, Row[]> {
  const groups = new Map<K, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

export class RunRows {
  readonly runs: RowReader;
  readonly cases: RowReader;
  private readonly parameterReader: RowReader;
  private readonly summaryReader: RowReader;

  constructor(readonly path: string) {
    this.runs = new RowReader(path, 'runs');
    this.cases = new RowReader(path, 'cases');
    this.parameterReader = new RowReader(path, 'case_parameters');
    this.summaryReader = new RowReader(path, 'summaries');
  }

  corrupt(reason: string): StoreError {
    return new StoreError(ErrorCodes.storeCorrupt, `keyscope store ${this.path} is corrupt (${reason})`);
  }

  environment(row: Row): EnvironmentFingerprint {
    const r = this.runs;
    return {
      cpuModel: r.text(row, 'cpu_model'),
      cpuFlags: r.textList(row, 'cpu_flags'),
      cores: r.number(row, 'cores'),
      governor: r.optionalText(row, 'governor'),
      boost: r.optionalBoolean(row, 'boost'),
      kernel: r.text(row, 'kernel'),
      platform: r.text(row, 'platform'),
      arch: r.text(row, 'arch'),
      node: r.text(row, 'node'),
      openssl: r.text(row, 'openssl'),
      keyscope: r.text(row, 'keyscope'),
      addonBuild: r.choice(row, 'addon_build', ['release', 'debug', 'sanitizer', 'prebuild'] as const),
      countersAvailable: r.textList(row, 'counters_available'),
      cycleCounter: r.optionalText(row, 'cycle_counter'),
      // NULL for a run not pinned, and for every run stored before schema version 3.
      pinnedCpu: r.optionalNumber(row, 'pinned_cpu'),
      // NULL for an honest run, and for every run stored before schema version 4.
      handicap: r.optionalNumber(row, 'handicap'),
    };
  }

  /** The run's testbed; `environment` saves decoding it again where the caller has it. */
  testbed(row: Row, environment?: EnvironmentFingerprint): string {
    // NULL only for a run stored before schema version 5.
    return this.runs.optionalText(row, 'testbed') ?? legacyTestbed(environment ?? this.environment(row));
  }

  head(row: Row): RunHead {
    const r = this.runs;
    const gitCommit = r.optionalText(row, 'git_commit');
    const environment = this.environment(row);
    return {
      id: r.text(row, 'id'),
      startedAt: r.text(row, 'started_at'),
      endedAt: r.text(row, 'ended_at'),
      label: r.optionalText(row, 'label'),
      status: r.choice(row, 'status', ['complete', 'aborted'] as const),
      git: gitCommit === null ? null : { commit: gitCommit, branch: r.optionalText(row, 'git_branch'), dirty: r.boolean(row, 'git_dirty') },
      testbed: this.testbed(row, environment),
      environment,
    };
  }

  /** The ordinal of the case in `row`, which must be the `index`-th of run `runId`'s cases in order. */
  caseOrdinal(row: Row, index: number, runId: string): number {
    const ordinal = this.cases.number(row, 'ordinal');
    if (ordinal !== index) throw this.corrupt(`run ${runId} has no case ${index}`);
    return ordinal;
  }

  caseState(row: Row): CaseResult['state'] {
    return this.cases.choice(row, 'state', ['completed', 'errored', 'skipped'] as const);
  }

  caseKey(row: Row): CaseKey {
    const c = this.cases;
    return { suite: c.text(row, 'suite'), case: c.text(row, 'case_name'), implementation: c.text(row, 'implementation'), algorithm: c.text(row, 'algorithm') };
  }

  /** A case's parameters from its case_parameters rows, in their order. */
  parameters(rows: readonly Row[] = []): CaseParameters {
    const r = this.parameterReader;
    const parameters: CaseParameters = {};
    for (const row of rows) {
      const name = r.text(row, 'name');
      if (row.text_value !== null) parameters[name] = r.text(row, 'text_value');
      else if (row.number_value !== null) parameters[name] = r.number(row, 'number_value');
      else parameters[name] = r.boolean(row, 'boolean_value');
    }
    return parameters;
  }

  private summary(row: Row | undefined): SampleSummary | null {
    if (!row) return null;
    const n = (column: string) => this.summaryReader.number(row, column);
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

  /** A completed case's summaries from its summaries rows; `where` names the case if it has no ns summary. */
  summaries(rows: readonly Row[] = [], where: string): CompletedCase['summary'] {
    const metric = (name: string) => rows.find((row) => row.metric === name);
    const ns = this.summary(metric(summaryMetrics.ns));
    if (!ns) throw this.corrupt(`${where} has no ns summary`);
    return { ns, cycles: this.summary(metric(summaryMetrics.cycles)), nsPerCandidate: this.summary(metric(summaryMetrics.nsPerCandidate)) };
  }
}
