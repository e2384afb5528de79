/**
 * Hand-built RunRecords for the run store tests: one realistic run with every kind of case (a completed
 * native case with cycles, a completed RSA case with prime candidates and its ns-per-candidate summary, a
 * node:crypto case without cycles, a one-sample case whose summary holds NaN and infinities, an errored and a
 * skipped case), and a large run for the interrupted-save test and the benchmark. Samples come from a seeded
 * generator, so every call with the same seed builds the same run.
 */
import { randomUUID } from 'node:crypto';

import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';

import type {
  CaseBlock,
  CaseKey,
  CaseResult,
  CompletedCase,
  EnvironmentFingerprint,
  RunRecord,
  RunStatus,
  SampleSummary,
} from '../../src/model/types.js';
import type { Counters } from '../../src/core/counters.js';
import { derivedTestbed } from '../../src/model/testbed.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

export { seededRandom };

/** Right-skewed timings around `typical`, whole nanoseconds like a monotonic clock gives them. */
function timings(random: () => number, count: number, typical: number, spread: number): Float64Array {
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = Math.round(typical * (1 + spread * -Math.log(1 - random())));
  return values;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** A plain, sort-based summary: the store keeps whatever numbers it is given, so these need only be plausible. */
export function summarize(values: Float64Array): SampleSummary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1); // NaN for one sample
  const median = quantile(sorted, 0.5);
  const deviations = Float64Array.from(values, (v) => Math.abs(v - median)).sort();
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const iqr = q3 - q1;
  // Order-statistic interval of the median at 99%: undefined (infinite) below a handful of samples.
  const half = 2.576 * Math.sqrt(n) / 2;
  const lowIndex = Math.floor(n / 2 - half);
  const highIndex = Math.ceil(n / 2 + half);
  return {
    count: n,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    mean,
    stddev: Math.sqrt(variance),
    median,
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    mad: quantile(deviations, 0.5),
    outliers: { low: values.filter((v) => v < q1 - 1.5 * iqr).length, high: values.filter((v) => v > q3 + 1.5 * iqr).length },
    medianInterval: {
      confidence: 0.99,
      low: lowIndex >= 0 ? sorted[lowIndex]! : -Infinity,
      high: highIndex < n ? sorted[highIndex]! : Infinity,
    },
  };
}

function histogramOf(values: Float64Array): string {
  const histogram = build({ numberOfSignificantValueDigits: 3 });
  for (const value of values) histogram.recordValue(value);
  const encoded = encodeIntoCompressedBase64(histogram);
  histogram.destroy();
  return encoded;
}

export const environment: EnvironmentFingerprint = {
  cpuModel: 'AMD EPYC 7B13 64-Core Processor',
  cpuFlags: ['sse4_2', 'avx2', 'bmi2', 'adx', 'sha_ni', 'rdrand'],
  cores: 2,
  governor: 'performance',
  boost: false,
  kernel: '6.1.0-18-amd64',
  platform: 'linux',
  arch: 'x64',
  node: 'v20.19.0',
  openssl: '3.0.15',
  keyscope: '0.1.0',
  addonBuild: 'release',
  countersAvailable: ['task-clock', 'page-faults', 'context-switches', 'user-time', 'system-time', 'peak-rss'],
  cycleCounter: 'rdtscp',
  pinnedCpu: 1,
  handicap: null,
};

/** One block of every sample on the fixture environment's CPU: what a run of one stretch per case records. */
export function oneBlock(samples: number, cpu: number | null = environment.pinnedCpu): CaseBlock[] {
  return [{ samples, cpu }];
}

/**
 * `samples` split into one block per entry of `cpus` (block i on cpus[i]), as evenly as whole samples allow,
 * earlier blocks taking the remainder; a case with fewer samples than `cpus` has entries gets one block each.
 */
export function spreadBlocks(samples: number, cpus: readonly (number | null)[]): CaseBlock[] {
  const count = Math.max(1, Math.min(samples, cpus.length));
  const base = Math.floor(samples / count);
  const extra = samples % count;
  return cpus.slice(0, count).map((cpu, i) => ({ samples: base + (i < extra ? 1 : 0), cpu }));
}

const nativeCounters: Counters = {
  cycles: { group: 'hardware', unit: 'count', available: false, reason: 'perf_event_open: permission denied (perf_event_paranoid is 3)' },
  'task-clock': { group: 'software', unit: 'ns', available: true, value: 84_213_977, scaled: false },
  'page-faults': { group: 'software', unit: 'count', available: true, value: 12, scaled: true },
  'user-time': { group: 'rusage', unit: 'ns', available: true, value: 81_000_000, scaled: false },
  'peak-rss': { group: 'memory', unit: 'bytes', available: true, value: 71_303_168, scaled: false },
};

export interface CompletedOptions {
  key: CaseKey;
  parameters?: CompletedCase['parameters'];
  ns: Float64Array;
  cycles?: Float64Array | null;
  candidates?: Float64Array | null;
  counters?: Counters;
  stoppedBy?: CompletedCase['precision']['stoppedBy'];
  /** Default: one block of every sample on the fixture environment's pinned CPU. */
  blocks?: CaseBlock[];
}

export function completed(options: CompletedOptions): CompletedCase {
  const { ns } = options;
  const cycles = options.cycles ?? null;
  const candidates = options.candidates ?? null;
  const nsSummary = summarize(ns);
  return {
    state: 'completed',
    key: options.key,
    parameters: options.parameters ?? {},
    samples: { ns, cycles, candidates },
    blocks: options.blocks ?? oneBlock(ns.length),
    summary: {
      ns: nsSummary,
      cycles: cycles ? summarize(cycles) : null,
      nsPerCandidate: candidates ? summarize(Float64Array.from(ns, (v, i) => v / candidates[i]!)) : null,
    },
    histograms: { ns: histogramOf(ns), cycles: cycles ? histogramOf(cycles) : null },
    precision: { target: 0.01, reached: nsSummary.count > 1 ? 0.0083 : Infinity, stoppedBy: options.stoppedBy ?? 'precision' },
    throughput: 1e9 / nsSummary.mean,
    counters: options.counters ?? {},
    timer: { ns: 21.5, cycles: 64, samples: 1000 },
  };
}

export interface RunOptions {
  id?: string;
  label?: string | null;
  status?: RunStatus;
  startedAt?: string;
  seed?: number;
  /** Samples of the main native case (the others scale from it). */
  samples?: number;
  /** Splits every completed case's samples into blocks on these CPUs (spreadBlocks); default one block each. */
  blockCpus?: (number | null)[];
  /** The environment's handicap (default null: an honest run). */
  handicap?: number | null;
  /** The run's testbed (default: the one derived from its environment, as when nobody names one). */
  testbed?: string;
}

/** A realistic run with every kind of case. */
export function makeRun(options: RunOptions = {}): RunRecord {
  const random = seededRandom(options.seed ?? 1);
  const n = options.samples ?? 2000;
  const startedAt = options.startedAt ?? '2025-03-14T09:26:53.589Z';
  const rsaKeys = Math.max(2, Math.round(n / 20));
  const rsaCandidates = Float64Array.from({ length: rsaKeys }, () => 40 + Math.floor(random() * 700));
  const rsaNs = Float64Array.from(rsaCandidates, (c) => Math.round(c * 95_000 * (0.97 + 0.06 * random())));
  const ed25519Ns = timings(random, n, 41_000, 0.04);
  const cases: CaseResult[] = [
    completed({
      key: { suite: 'keygen', case: 'ed25519', implementation: 'keyscope-native', algorithm: 'ed25519' },
      parameters: { threads: 1, mode: 'sync', warm: true },
      ns: ed25519Ns,
      cycles: Float64Array.from(ed25519Ns, (v) => Math.round(v * 2.45 + random() * 40)),
      counters: nativeCounters,
    }),
    completed({
      key: { suite: 'keygen', case: 'rsa-2048', implementation: 'keyscope-native', algorithm: 'rsa-2048' },
      parameters: { threads: 1, mode: 'sync', exponent: 65537 },
      ns: rsaNs,
      cycles: Float64Array.from(rsaNs, (v) => Math.round(v * 2.45)),
      candidates: rsaCandidates,
      counters: nativeCounters,
      stoppedBy: 'budget',
    }),
    completed({
      key: { suite: 'keygen', case: 'ec-p256', implementation: 'node:crypto', algorithm: 'ec-p256' },
      parameters: { threads: 2, mode: 'async' },
      ns: timings(random, Math.max(2, Math.round(n / 2)), 52_000, 0.08),
    }),
    completed({
      key: { suite: 'keygen', case: 'rsa-8192', implementation: 'keyscope', algorithm: 'rsa-8192' },
      parameters: { threads: 1, mode: 'sync' },
      ns: Float64Array.of(9_874_512_331),
      stoppedBy: 'budget',
    }),
    {
      state: 'errored',
      key: { suite: 'keygen', case: 'ml-kem-768', implementation: 'keyscope', algorithm: 'ml-kem-768' },
      parameters: { threads: 1 },
      error: { code: 'KS_UNSUPPORTED_ALGORITHM', message: 'ml-kem-768 needs OpenSSL 3.5 or later; this is OpenSSL 3.0.15' },
    },
    {
      state: 'skipped',
      key: { suite: 'keygen', case: 'x448', implementation: 'webcrypto', algorithm: 'x448' },
      parameters: {},
      reason: 'webcrypto has no X448 key generation in Node 20',
    },
  ];
  const { blockCpus } = options;
  const runEnvironment = { ...environment, handicap: options.handicap ?? null };
  return {
    id: options.id ?? randomUUID(),
    startedAt,
    endedAt: new Date(Date.parse(startedAt) + 93_412).toISOString(),
    label: options.label === undefined ? 'baseline' : options.label,
    status: options.status ?? 'complete',
    git: { commit: '6159ea5c0f3a4b9e8d7c6b5a4f3e2d1c0b9a8f7e', branch: 'main', dirty: false },
    testbed: options.testbed ?? derivedTestbed(runEnvironment),
    environment: runEnvironment,
    cases: blockCpus
      ? cases.map((c) => (c.state === 'completed' ? { ...c, blocks: spreadBlocks(c.samples.ns.length, blockCpus) } : c))
      : cases,
  };
}

/**
 * One completed case with `samples` iterations (ns and cycles): the shape of a long throughput run. Its
 * summary and histogram come from the first few thousand samples, since they only need to be plausible.
 */
export function makeLargeRun(samples: number, options: { id?: string; seed?: number } = {}): RunRecord {
  const random = seededRandom(options.seed ?? 7);
  const ns = timings(random, samples, 18_500, 0.05);
  const cycles = Float64Array.from(ns, (v) => Math.round(v * 2.45));
  const head = ns.subarray(0, Math.min(samples, 5000));
  const summary = summarize(head);
  const runEnvironment = { ...environment, pinnedCpu: null, governor: null, boost: null };
  return {
    id: options.id ?? randomUUID(),
    startedAt: '2025-03-15T22:02:11.003Z',
    endedAt: '2025-03-15T22:09:48.518Z',
    label: 'throughput',
    status: 'complete',
    git: null,
    testbed: derivedTestbed(runEnvironment),
    environment: runEnvironment,
    cases: [
      {
        state: 'completed',
        key: { suite: 'throughput', case: 'ed25519', implementation: 'keyscope-native', algorithm: 'ed25519' },
        parameters: { threads: 2 },
        samples: { ns, cycles, candidates: null },
        blocks: oneBlock(samples, null), // the run was not pinned
        summary: { ns: summary, cycles: summarize(cycles.subarray(0, head.length)), nsPerCandidate: null },
        histograms: { ns: histogramOf(head), cycles: null },
        precision: { target: 0.005, reached: 0.0049, stoppedBy: 'precision' },
        throughput: 1e9 / summary.mean,
        counters: {},
        timer: { ns: 21.5, cycles: 64, samples: 1000 },
      },
    ],
  };
}

/**
 * Rows of `sql` run through a DuckDB instance of its own: on the store file at `path`, read-only (the store
 * must be closed), or with no path in memory (to read or write Parquet files as another tool would).
 */
export async function queryStoreFile(path: string | null, sql: string): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = path === null ? await DuckDBInstance.create(':memory:') : await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJS();
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Rows the store's samples table holds for `run`: one per position of each completed case's longest series. */
export function sampleRowsOf(run: RunRecord): number {
  return run.cases.reduce((sum, c) => {
    if (c.state !== 'completed') return sum;
    return sum + Math.max(c.samples.ns.length, c.samples.cycles?.length ?? 0, c.samples.candidates?.length ?? 0);
  }, 0);
}

/** `run` as a store before schema version 5 held it, and so loads it back: on the testbed derived from its environment. */
export function asSchemaV4Run(run: RunRecord): RunRecord {
  return { ...run, testbed: derivedTestbed(run.environment) };
}

/**
 * `run` as a store before schema version 4 held it, and so loads it back: as asSchemaV4Run, no handicap (so
 * the testbed is derived from an honest environment), and each completed case one block of every sample on the
 * run's pinned CPU.
 */
export function asSchemaV3Run(run: RunRecord): RunRecord {
  return asSchemaV4Run({
    ...run,
    environment: { ...run.environment, handicap: null },
    cases: run.cases.map((c) => (c.state === 'completed' ? { ...c, blocks: oneBlock(c.samples.ns.length, run.environment.pinnedCpu) } : c)),
  });
}

/** `run` as schema version 1 could hold it: as asSchemaV3Run, and no prime-candidate series or summary, no pinned CPU. */
export function asSchemaV1Run(run: RunRecord): RunRecord {
  const v3 = asSchemaV3Run({ ...run, environment: { ...run.environment, pinnedCpu: null } });
  return {
    ...v3,
    cases: v3.cases.map((c) =>
      c.state === 'completed'
        ? { ...c, samples: { ...c.samples, candidates: null }, summary: { ...c.summary, nsPerCandidate: null } }
        : c,
    ),
  };
}

/** A list for an INTEGER[] column (a case's blocks) in writeRunAtSchema, whose other lists are VARCHAR[]. */
class IntegerList {
  constructor(readonly items: (number | null)[]) {}
}

/**
 * Writes `run` into a store at schema version 1 to 4 the way those releases of the store did: plain SQL
 * against their tables, independent of today's save code (which only knows the current schema). Version 2
 * added prime candidates (a series and a summary), version 3 the pinned CPU, version 4 blocks and the handicap;
 * what a version cannot hold is not written (see asSchemaV1Run, asSchemaV3Run and asSchemaV4Run for the run
 * that then loads back).
 */
export async function writeRunAtSchema(path: string, run: RunRecord, version: 1 | 2 | 3 | 4, runKey = 1): Promise<void> {
  const { BOOLEAN, DOUBLE, DuckDBInstance, INTEGER, LIST, listValue, VARCHAR } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  // Bound parameters, each typed from its JavaScript value: a number written as SQL text would be parsed as a
  // DECIMAL and could lose its last digit on the way to DOUBLE.
  const typeOf = (value: unknown) =>
    typeof value === 'number'
      ? DOUBLE
      : typeof value === 'boolean'
        ? BOOLEAN
        : value instanceof IntegerList
          ? LIST(INTEGER)
          : Array.isArray(value)
            ? LIST(VARCHAR)
            : VARCHAR;
  const insert = (table: string, row: Record<string, unknown>) => {
    const values = Object.values(row).map((v) =>
      v === undefined ? null : v instanceof IntegerList ? listValue(v.items) : Array.isArray(v) ? listValue(v as string[]) : v,
    );
    return connection.run(
      `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
      values as (string | number | boolean | null)[],
      Object.values(row).map(typeOf),
    );
  };
  try {
    await connection.run('BEGIN TRANSACTION');
    const env = run.environment;
    await insert('runs', {
      run_key: runKey,
      id: run.id,
      started_at: run.startedAt,
      ended_at: run.endedAt,
      started_ts: run.startedAt,
      label: run.label,
      status: run.status,
      git_commit: run.git?.commit,
      git_branch: run.git?.branch,
      git_dirty: run.git?.dirty,
      cpu_model: env.cpuModel,
      cpu_flags: env.cpuFlags,
      cores: env.cores,
      governor: env.governor,
      boost: env.boost,
      kernel: env.kernel,
      platform: env.platform,
      arch: env.arch,
      node: env.node,
      openssl: env.openssl,
      keyscope: env.keyscope,
      addon_build: env.addonBuild,
      counters_available: env.countersAvailable,
      cycle_counter: env.cycleCounter,
      ...(version >= 3 ? { pinned_cpu: env.pinnedCpu } : {}),
      ...(version >= 4 ? { handicap: env.handicap } : {}),
    });
    for (const [ordinal, c] of run.cases.entries()) {
      const base = { run_key: runKey, ordinal, state: c.state, suite: c.key.suite, case_name: c.key.case, implementation: c.key.implementation, algorithm: c.key.algorithm };
      if (c.state === 'errored') await insert('cases', { ...base, error_code: c.error.code, error_message: c.error.message });
      if (c.state === 'skipped') await insert('cases', { ...base, skip_reason: c.reason });
      for (const [index, [name, value]] of Object.entries(c.parameters).entries()) {
        await insert('case_parameters', {
          run_key: runKey,
          case_ordinal: ordinal,
          ordinal: index,
          name,
          text_value: typeof value === 'string' ? value : null,
          number_value: typeof value === 'number' ? value : null,
          boolean_value: typeof value === 'boolean' ? value : null,
        });
      }
      if (c.state !== 'completed') continue;
      await insert('cases', {
        ...base,
        ns_count: c.samples.ns.length,
        cycles_count: c.samples.cycles?.length ?? null,
        ...(version >= 2 ? { candidates_count: c.samples.candidates?.length ?? null } : {}),
        ...(version >= 4
          ? { block_samples: new IntegerList(c.blocks.map((b) => b.samples)), block_cpus: new IntegerList(c.blocks.map((b) => b.cpu)) }
          : {}),
        histogram_ns: c.histograms.ns,
        histogram_cycles: c.histograms.cycles,
        precision_target: c.precision.target,
        precision_reached: c.precision.reached,
        stopped_by: c.precision.stoppedBy,
        throughput: c.throughput,
        timer_ns: c.timer.ns,
        timer_cycles: c.timer.cycles,
        timer_samples: c.timer.samples,
      });
      const metrics: [string, SampleSummary | null][] = [['ns', c.summary.ns], ['cycles', c.summary.cycles]];
      if (version >= 2) metrics.push(['ns_per_candidate', c.summary.nsPerCandidate]);
      for (const [metric, s] of metrics) {
        if (!s) continue;
        await insert('summaries', {
          run_key: runKey,
          case_ordinal: ordinal,
          metric,
          sample_count: s.count,
          min: s.min,
          max: s.max,
          mean: s.mean,
          stddev: s.stddev,
          median: s.median,
          p90: s.p90,
          p99: s.p99,
          p999: s.p999,
          mad: s.mad,
          outliers_low: s.outliers.low,
          outliers_high: s.outliers.high,
          median_ci_confidence: s.medianInterval.confidence,
          median_ci_low: s.medianInterval.low,
          median_ci_high: s.medianInterval.high,
        });
      }
      for (const [index, [name, v]] of Object.entries(c.counters).entries()) {
        await insert('counters', {
          run_key: runKey,
          case_ordinal: ordinal,
          ordinal: index,
          name,
          counter_group: v!.group,
          unit: v!.unit,
          available: v!.available,
          value: v!.available ? v!.value : null,
          scaled: v!.available ? v!.scaled : null,
          reason: v!.available ? null : v!.reason,
        });
      }
      const appender = await connection.createAppender('samples');
      const series = version >= 2 ? [c.samples.ns, c.samples.cycles, c.samples.candidates] : [c.samples.ns, c.samples.cycles];
      const rows = Math.max(...series.map((s) => s?.length ?? 0));
      for (let seq = 0; seq < rows; seq++) {
        appender.appendInteger(runKey);
        appender.appendInteger(ordinal);
        appender.appendInteger(seq);
        for (const values of series) {
          if (values && seq < values.length) appender.appendDouble(values[seq]!);
          else appender.appendNull();
        }
        appender.endRow();
      }
      appender.closeSync();
    }
    await connection.run('COMMIT');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
