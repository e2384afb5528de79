/**
 * The analytics database as the dashboard holds it: opened once for the server's lifetime (other processes
 * that open it wait, then give KS_ANALYTICS_BUSY; writers only append to spools and never wait), with one
 * in-process queue so that the ingest tick and the requests never use the connection at the same time (a
 * DuckDB connection runs one statement at a time, and ingest's transaction must not take in a request's).
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { openAnalyticsDatabase } from '../analytics/database/open-analytics-database.js';
import type { AnalyticsPaths } from '../analytics/types.js';

/**
 * A long-running server shares the machine: DuckDB's defaults (80% of RAM, one thread per core, and an
 * allocator that keeps what a query freed) suit a batch job, not a process that stays up for days.
 *   - memory_limit bounds DuckDB's buffer pool and the spillable operators (hash aggregates, sorts);
 *   - two threads are plenty for the rollup-sized queries of the pages;
 *   - the allocator hands memory back to the system after any query that used more than 16 MB, and its
 *     background thread purges freed pages, so one wide query does not leave the server's RSS high.
 * They are given when the instance is created, so the open's own ingest and retention run under them too.
 * bench/dashboard.bench.ts measures the result against 300 MB with 10M events.
 */
const settings: Readonly<Record<string, string>> = {
  memory_limit: '128MB',
  threads: '2',
  allocator_flush_threshold: '16MB',
  allocator_bulk_deallocation_flush_threshold: '16MB',
  allocator_background_threads: 'true',
};

/** Queued work skipped because the client that asked for it has gone: nobody is left to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client went away before its request ran');
    this.name = 'ClientGoneError';
  }
}

export interface RunOptions {
  /** Checked when the work's turn comes: true = the client has gone, skip it (rejects with ClientGoneError). */
  gone?: () => boolean;
}

export class DashboardDatabase {
  readonly paths: AnalyticsPaths;
  readonly #connection: DuckDBConnection;
  readonly #close: () => Promise<void>;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(paths: AnalyticsPaths, connection: DuckDBConnection, close: () => Promise<void>) {
    this.paths = paths;
    this.#connection = connection;
    this.#close = close;
  }

  static async open(paths: AnalyticsPaths): Promise<DashboardDatabase> {
    const database = await openAnalyticsDatabase({ paths, duckdbSettings: settings });
    return new DashboardDatabase(paths, database.connection, () => database.close());
  }

  /**
   * Runs `work` after everything queued before it; its failure is its caller's alone. A page closed or reloaded
   * while its request waited in the queue is skipped (options.gone), so a burst of refetches does not compute
   * answers nobody reads.
   */
  run<T>(work: (connection: DuckDBConnection) => Promise<T>, options: RunOptions = {}): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the dashboard database is closed'));
    const next = this.#tail.then(() => (options.gone?.() === true ? Promise.reject(new ClientGoneError()) : work(this.#connection)));
    this.#tail = next.catch(() => {});
    return next;
  }

  /** Waits for queued work, then checkpoints and closes (releasing the file for other processes). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    await this.#close();
  }
}
