/**
 * The store's schema as the ordered list of steps that built it. Step N takes a store at schema version N-1
 * to N; a new store is made by running every step from 1, and an old one is brought forward by running the
 * steps it lacks, so each step stays exactly as it shipped. Change the schema only by appending a step.
 *
 * Choices that every step keeps:
 * - Runs are found by their UUID (`id`) but joined on a small integer `run_key`: the samples table repeats it
 *   on every row, and an integer costs less than a 36-character string to append, store and compare.
 * - Strings that a run carries (timestamps, histograms) are stored as the exact text given, so a run loads
 *   back byte for byte; `started_ts` is a parsed copy of `started_at` for ordering only.
 * - No constraints beyond NOT NULL, and so no indexes. DuckDB cannot alter CHECK constraints later, and a table
 *   referenced by a foreign key cannot take ALTER TABLE at all. Keys and unique ids would bring ART indexes,
 *   whose blocks a table scan never reads, so the check that reads every block when a store opens
 *   (verify-store.ts) could not vouch for them. Every table but samples stays small, and samples are only
 *   ever read a whole run at a time, so scans cost nothing that an index would save. The code keeps run ids
 *   unique (saveRun checks inside its transaction, and one process at a time writes) and validates every run
 *   before it writes.
 * - Sample series of one case share rows (row `seq` holds the seq-th value of each series); a series that is
 *   shorter, or absent, is NULL there, and `cases.*_count` says how long each series is (NULL: absent).
 */

export interface Migration {
  /** The schema version the store has after this step. */
  version: number;
  description: string;
  statements: readonly string[];
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, cases, parameters, summaries, counters and per-iteration samples (ns, cycles)',
    statements: [
      `CREATE TABLE keyscope_meta (
        schema_version INTEGER NOT NULL,
        created_by VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL
      )`,
      `CREATE TABLE runs (
        run_key INTEGER NOT NULL,
        id VARCHAR NOT NULL,
        started_at VARCHAR NOT NULL,
        ended_at VARCHAR NOT NULL,
        started_ts TIMESTAMPTZ NOT NULL,
        label VARCHAR,
        status VARCHAR NOT NULL,
        git_commit VARCHAR,
        git_branch VARCHAR,
        git_dirty BOOLEAN,
        cpu_model VARCHAR NOT NULL,
        cpu_flags VARCHAR[] NOT NULL,
        cores INTEGER NOT NULL,
        governor VARCHAR,
        boost BOOLEAN,
        kernel VARCHAR NOT NULL,
        platform VARCHAR NOT NULL,
        arch VARCHAR NOT NULL,
        node VARCHAR NOT NULL,
        openssl VARCHAR NOT NULL,
        keyscope VARCHAR NOT NULL,
        addon_build VARCHAR NOT NULL,
        counters_available VARCHAR[] NOT NULL,
        cycle_counter VARCHAR
      )`,
      `CREATE TABLE cases (
        run_key INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        state VARCHAR NOT NULL,
        suite VARCHAR NOT NULL,
        case_name VARCHAR NOT NULL,
        implementation VARCHAR NOT NULL,
        algorithm VARCHAR NOT NULL,
        ns_count INTEGER,
        cycles_count INTEGER,
        histogram_ns VARCHAR,
        histogram_cycles VARCHAR,
        precision_target DOUBLE,
        precision_reached DOUBLE,
        stopped_by VARCHAR,
        throughput DOUBLE,
        timer_ns DOUBLE,
        timer_cycles DOUBLE,
        timer_samples DOUBLE,
        error_code VARCHAR,
        error_message VARCHAR,
        skip_reason VARCHAR
      )`,
      `CREATE TABLE case_parameters (
        run_key INTEGER NOT NULL,
        case_ordinal INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        text_value VARCHAR,
        number_value DOUBLE,
        boolean_value BOOLEAN
      )`,
      `CREATE TABLE summaries (
        run_key INTEGER NOT NULL,
        case_ordinal INTEGER NOT NULL,
        metric VARCHAR NOT NULL,
        sample_count DOUBLE NOT NULL,
        min DOUBLE NOT NULL,
        max DOUBLE NOT NULL,
        mean DOUBLE NOT NULL,
        stddev DOUBLE NOT NULL,
        median DOUBLE NOT NULL,
        p90 DOUBLE NOT NULL,
        p99 DOUBLE NOT NULL,
        p999 DOUBLE NOT NULL,
        mad DOUBLE NOT NULL,
        outliers_low DOUBLE NOT NULL,
        outliers_high DOUBLE NOT NULL,
        median_ci_confidence DOUBLE NOT NULL,
        median_ci_low DOUBLE NOT NULL,
        median_ci_high DOUBLE NOT NULL
      )`,
      `CREATE TABLE counters (
        run_key INTEGER NOT NULL,
        case_ordinal INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        counter_group VARCHAR NOT NULL,
        unit VARCHAR NOT NULL,
        available BOOLEAN NOT NULL,
        value DOUBLE,
        scaled BOOLEAN,
        reason VARCHAR
      )`,
      `CREATE TABLE samples (
        run_key INTEGER NOT NULL,
        case_ordinal INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        ns DOUBLE,
        cycles DOUBLE
      )`,
    ],
  },
  {
    version: 2,
    description: 'RSA prime search: prime candidates per key as a sample series',
    statements: ['ALTER TABLE cases ADD COLUMN candidates_count INTEGER', 'ALTER TABLE samples ADD COLUMN candidates DOUBLE'],
  },
  {
    version: 3,
    description: 'CPU pinning: the CPU a run was pinned to, in its environment',
    statements: ['ALTER TABLE runs ADD COLUMN pinned_cpu INTEGER'],
  },
  {
    version: 4,
    description: "Blocks: the blocks each case's samples came from (how many samples, on which CPU), and a run's handicap",
    statements: [
      // Parallel lists, one entry a block in sampling order: block_cpus[i] is NULL where block i was not pinned.
      // Both are NULL for cases that are not completed, and for completed cases stored before this step: those
      // load as one block of every sample on the run's pinned_cpu (load-run.ts).
      'ALTER TABLE cases ADD COLUMN block_samples INTEGER[]',
      'ALTER TABLE cases ADD COLUMN block_cpus INTEGER[]',
      // NULL: an honest run (and every run stored before this step, when no run could be handicapped).
      'ALTER TABLE runs ADD COLUMN handicap DOUBLE',
    ],
  },
  {
    version: 5,
    description: "Testbeds: where a run's numbers are comparable, named or derived from its environment",
    statements: [
      // Always written by saveRun. NULL only for runs stored before this step, which load with the testbed derived
      // from their environment (legacy-runs.ts): SQL cannot compute that hash, so the step leaves them NULL.
      'ALTER TABLE runs ADD COLUMN testbed VARCHAR',
    ],
  },
];

export const currentSchemaVersion: number = migrations.length;

/** Every table of the current schema; opening a store reads each of them in full (see verify-store.ts). */
export const storeTables = ['keyscope_meta', 'runs', 'cases', 'case_parameters', 'summaries', 'counters', 'samples'] as const;

/** The samples table's columns in table order, which the appender relies on (checked when a store opens). */
export const sampleColumns = ['run_key', 'case_ordinal', 'seq', 'ns', 'cycles', 'candidates'] as const;

/** summaries.metric for each summary a completed case carries. */
export const summaryMetrics = { ns: 'ns', cycles: 'cycles', nsPerCandidate: 'ns_per_candidate' } as const;
