/**
 * The run store: one DuckDB database file, opened by openStore (open-store.ts) and used through this
 * interface. Operations run one at a time, in the order they were called: DuckDB transactions belong to the
 * connection, so two overlapping saves on one connection would otherwise share (and break) one transaction.
 */
import { INTEGER, VARCHAR } from '@duckdb/node-api';
import { z } from 'zod';

import { type RunListing, type RunOverview, type RunRecord, testbedPattern } from '../model/index.js';
import { ErrorCodes, InvalidArgumentError, KeyscopeError, parseOptions } from '../core/index.js';
import { type Database } from './database.js';
import { type ExportOptions, type ExportResult, exportRunFile, readRunFile } from './export-import.js';
import { listRunListings, type RunFilter } from './list-runs.js';
import { loadRun, type LoadRunOptions } from './load-run.js';
import { readRunOverviews } from './run-overviews.js';
import { describeIssue, runRecordSchema } from './run-schema.js';
import { writeRun } from './save-run.js';
import { StoreError, storeFailure } from './store-error.js';
import { inTransaction } from '../duckdb/index.js';

export interface RunStore {
  /** The store file (absolute). */
  readonly path: string;
  /** The schema version the store has (always the current one once open: older stores are migrated). */
  readonly schemaVersion: number;
  /** Writes the whole run in one transaction: afterwards it is in the store completely, or (on any failure) not at all. */
  saveRun(run: RunRecord): Promise<void>;
  /** The run exactly as saved (samples as Float64Arrays), or undefined when no run has this id. */
  getRun(id: string, options?: LoadRunOptions): Promise<RunRecord | undefined>;
  /** Every run, newest first. */
  listRuns(): Promise<RunListing[]>;
  /** Runs matching every given field, newest first. */
  findRuns(filter?: RunFilter): Promise<RunListing[]>;
  /**
   * The runs findRuns finds (the same filter, the same order), each with its own fields and its cases' keys,
   * parameters and summaries: a run without its samples, for reading the history of many runs cheaply.
   */
  findRunOverviews(filter?: RunFilter): Promise<RunOverview[]>;
  /** Removes the run with its cases and samples in one transaction; false when no run has this id. */
  deleteRun(id: string): Promise<boolean>;
  /** Writes the run to `file`: JSON for *.json, Parquet for *.parquet. */
  exportRun(id: string, file: string, options?: ExportOptions): Promise<ExportResult>;
  /** Stores the run in an export file (either format) under its own id; returns the id. */
  importRun(file: string): Promise<string>;
  /** Waits for pending operations, then closes the database (releasing it for other processes). */
  close(): Promise<void>;
}

const runFilterSchema = z.strictObject({
  label: z.string({ error: 'must be a string or null' }).nullable().optional(),
  status: z.enum(['complete', 'aborted'], { error: 'must be "complete" or "aborted"' }).optional(),
  branch: z.string({ error: 'must be a string' }).optional(),
  // A name no run can have is a mistake worth saying, not a search that finds nothing.
  testbed: z.string({ error: 'must be a string' }).regex(testbedPattern, { error: 'must be a testbed name (letters, digits, ".", "_", "-")' }).optional(),
  idPrefix: z.string({ error: 'must be a string' }).min(4, { error: 'must have at least 4 characters' }).optional(),
  startedBefore: z.string({ error: 'must be an ISO 8601 time' }).refine((value) => !Number.isNaN(Date.parse(value)), { error: 'must be an ISO 8601 time' }).optional(),
  limit: z.int({ error: 'must be a whole number from 1' }).min(1, { error: 'must be a whole number from 1' }).optional(),
});

const exportOptionsSchema = z.strictObject({ force: z.boolean({ error: 'must be true or false' }).optional() });

export class DuckDBRunStore implements RunStore {
  private pending: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly path: string,
    readonly schemaVersion: number,
    private readonly database: Database,
    private readonly release: () => void,
    private readonly mode: { readOnly: boolean } = { readOnly: false },
  ) {}

  /** Writes fail up front on a read-only store, with a code that says so rather than DuckDB's message. */
  private writable(operation: string): Promise<never> | null {
    if (!this.mode.readOnly) return null;
    return Promise.reject(new StoreError(ErrorCodes.storeReadOnly, `${operation}: keyscope store ${this.path} was opened read-only`));
  }

  private get connection() {
    return this.database.connection;
  }

  /** Runs `work` after every earlier operation, with DuckDB failures turned into StoreErrors. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    // Checked when called, not when run: operations called before close() still run before it closes.
    if (this.closed) return Promise.reject(new StoreError(ErrorCodes.storeClosed, `keyscope store ${this.path} is closed`));
    const next = this.pending.then(async () => {
      try {
        return await work();
      } catch (error) {
        if (error instanceof KeyscopeError) throw error;
        throw storeFailure(this.path, error, false);
      }
    });
    this.pending = next.catch(() => {});
    return next;
  }

  private async runKeyOf(id: string): Promise<number | undefined> {
    const row = (await this.connection.runAndReadAll('SELECT run_key FROM runs WHERE id = $1', [id], [VARCHAR])).getRowObjectsJS()[0];
    return row ? Number(row.run_key) : undefined;
  }

  private async save(run: RunRecord): Promise<void> {
    await inTransaction(this.connection, () => writeRun(this.connection, this.path, run));
  }

  saveRun(run: RunRecord): Promise<void> {
    const refused = this.writable('saveRun');
    if (refused) return refused;
    const checked = runRecordSchema.safeParse(run);
    if (!checked.success) {
      return Promise.reject(new InvalidArgumentError(ErrorCodes.invalidOption, `saveRun: ${describeIssue(checked.error, 'run')}`));
    }
    return this.exclusive(() => this.save(run));
  }

  getRun(id: string, options: LoadRunOptions = {}): Promise<RunRecord | undefined> {
    return this.exclusive(() => loadRun(this.connection, this.path, id, options));
  }

  listRuns(): Promise<RunListing[]> {
    return this.exclusive(() => listRunListings(this.connection, this.path));
  }

  /** `filter` checked, then `read` with it after every earlier operation; a bad filter rejects, naming `operation`. */
  private filtered<T>(operation: string, filter: RunFilter, read: (checked: RunFilter) => Promise<T>): Promise<T> {
    let checked: RunFilter;
    try {
      checked = parseOptions(runFilterSchema, filter, operation);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.exclusive(() => read(checked));
  }

  findRuns(filter: RunFilter = {}): Promise<RunListing[]> {
    return this.filtered('findRuns', filter, (checked) => listRunListings(this.connection, this.path, checked));
  }

  findRunOverviews(filter: RunFilter = {}): Promise<RunOverview[]> {
    return this.filtered('findRunOverviews', filter, (checked) => readRunOverviews(this.connection, this.path, checked));
  }

  deleteRun(id: string): Promise<boolean> {
    const refused = this.writable('deleteRun');
    if (refused) return refused;
    return this.exclusive(() =>
      inTransaction(this.connection, async () => {
        const runKey = await this.runKeyOf(id);
        if (runKey === undefined) return false;
        for (const table of ['samples', 'counters', 'summaries', 'case_parameters']) {
          await this.connection.run(`DELETE FROM ${table} WHERE run_key = $1`, [runKey], [INTEGER]);
        }
        await this.connection.run('DELETE FROM cases WHERE run_key = $1', [runKey], [INTEGER]);
        await this.connection.run('DELETE FROM runs WHERE run_key = $1', [runKey], [INTEGER]);
        return true;
      }),
    );
  }

  exportRun(id: string, file: string, options: ExportOptions = {}): Promise<ExportResult> {
    let checked: ExportOptions;
    try {
      checked = parseOptions(exportOptionsSchema, options, 'exportRun');
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.exclusive(async () => {
      const run = await loadRun(this.connection, this.path, id);
      const runKey = await this.runKeyOf(id);
      if (!run || runKey === undefined) throw new StoreError(ErrorCodes.runNotFound, `no run ${id} in keyscope store ${this.path}`);
      return exportRunFile(this.connection, run, runKey, file, checked);
    });
  }

  importRun(file: string): Promise<string> {
    const refused = this.writable('importRun');
    if (refused) return refused;
    return this.exclusive(async () => {
      const run = await readRunFile(this.connection, file);
      await this.save(run);
      return run.id;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const waited = this.pending;
    this.closed = true;
    await waited;
    try {
      this.database.close();
    } finally {
      this.release();
    }
  }
}
